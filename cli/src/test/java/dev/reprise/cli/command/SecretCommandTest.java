package dev.reprise.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.cli.Reprise;
import dev.reprise.cli.Reprise.Result;
import dev.reprise.cli.ScriptedServerTest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretCommandTest extends ScriptedServerTest {

    private static final String STORED = "{\"project\":\"vision\",\"name\":\"hf-token\",\"keys\":[\"token\"],"
            + "\"createdAt\":\"2026-12-07T10:00:00Z\",\"createdBy\":\"mia\",\"updatedAt\":\"2026-12-07T10:00:00Z\","
            + "\"updatedBy\":\"mia\"}";

    @Test
    void setPutsTheValueFromAnEnvironmentVariableAndNeverPrintsIt() {
        server.replyJson("PUT", "/api/v1/projects/vision/secrets/hf-token", 200, STORED);
        Map<String, String> withValue = new HashMap<>(env);
        withValue.put("MY_HF", "hf_abcdef123456");

        Result result = Reprise.run(withValue, "secret", "set", "hf-token", "token", "--from-env", "MY_HF", "-p",
                "vision");

        assertThat(result.exitCode()).isZero();
        assertThat(server.onlyRequest().method()).isEqualTo("PUT");
        assertThat(server.onlyRequest().bodyText()).isEqualTo("{\"data\":{\"token\":\"hf_abcdef123456\"}}");
        assertThat(result.out()).contains("{secret: hf-token, key: token}").doesNotContain("hf_abcdef123456");
    }

    @Test
    void setRefusesAVariableThatIsNotSetWithoutCallingTheServer() {
        Result result = Reprise.run(env, "secret", "set", "hf-token", "token", "--from-env", "NOT_SET_ANYWHERE");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("NOT_SET_ANYWHERE");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void lsShowsNamesAndKeysAndRmDeletes() {
        server.replyJson("GET", "/api/v1/projects/vision/secrets", 200, "[" + STORED + "]");
        server.reply("DELETE", "/api/v1/projects/vision/secrets/hf-token", 204, "application/json", "");

        Result ls = Reprise.run(env, "secret", "ls", "-p", "vision");
        Result rm = Reprise.run(env, "secret", "rm", "hf-token", "-p", "vision");

        assertThat(ls.out()).contains("hf-token", "token", "mia");
        assertThat(rm.exitCode()).isZero();
        assertThat(rm.out()).isEqualTo("Removed secret hf-token from project vision\n");
    }
}
