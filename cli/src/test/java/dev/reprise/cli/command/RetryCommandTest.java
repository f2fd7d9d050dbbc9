package dev.reprise.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.cli.Reprise;
import dev.reprise.cli.Reprise.Result;
import dev.reprise.cli.ScriptedServerTest;
import org.junit.jupiter.api.Test;

class RetryCommandTest extends ScriptedServerTest {

    private static final String SWEEP = "{\"id\": 12, \"name\": \"digits-grid\", \"status\": \"RUNNING\", "
            + "\"maxTrials\": 4}";

    @Test
    void retriesEveryFailedRunByDefaultAndListsTheRunsQueuedAgain() {
        server.replyJson("POST", "/api/v1/sweeps/12/retry", 200, "{\"sweep\": " + SWEEP + ", \"retried\": ["
                + "{\"id\": 41, \"index\": 1, \"attempt\": 1, \"seed\": 77}]}");

        Result result = Reprise.run(env, "retry", "12");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(server.onlyRequest().bodyText()).isEqualTo("{\"failed\":true}");
        assertThat(result.out()).isEqualTo("Retried 1 run(s) of sweep 12 (digits-grid): RUNNING\n"
                + "  run 41 (index 1, seed 77): attempt 1\n");
    }

    @Test
    void retriesOnlyTheRunsNamed() {
        server.replyJson("POST", "/api/v1/sweeps/12/retry", 200, "{\"sweep\": " + SWEEP + ", \"retried\": []}");

        Result result = Reprise.run(env, "retry", "12", "--run", "41", "--run", "43");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(server.onlyRequest().bodyText()).isEqualTo("{\"runIds\":[41,43]}");
    }

    @Test
    void showsTheServersRefusalWithTheRunsFieldPath() {
        server.replyProblem("POST", "/api/v1/sweeps/12/retry", 409, "{\"type\": "
                + "\"https://reprise.dev/problems/conflict\", \"title\": \"Conflict\", \"status\": 409, \"detail\": "
                + "\"run 40 cannot be retried: the run succeeded\", \"errors\": [{\"field\": \"runIds[0]\", "
                + "\"message\": \"run 40 cannot be retried: the run succeeded\"}]}");

        Result result = Reprise.run(env, "retry", "12", "--run", "40");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("runIds[0]").contains("the run succeeded");
    }
}
