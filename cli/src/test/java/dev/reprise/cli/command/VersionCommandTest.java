package dev.reprise.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.cli.Reprise;
import dev.reprise.cli.Reprise.Result;
import dev.reprise.cli.ScriptedServerTest;
import org.junit.jupiter.api.Test;

class VersionCommandTest extends ScriptedServerTest {


    @Test
    void printsTheBuildVersionWithoutContactingTheServer() {
        Result result = Reprise.run(env, "version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).matches("reprise \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void printsTheVersionAsJsonWithJsonOutput() {
        Result result = Reprise.run(env, "version", "-o", "json");

        assertThat(result.out()).matches("\\{\n  \"version\": \"[^\"]+\"\n}\n");
    }

    @Test
    void answersTheVersionOptionWithTheSameVersion() {
        Result option = Reprise.run(env, "--version");

        assertThat(option.exitCode()).isZero();
        assertThat(option.out()).isEqualTo(Reprise.run(env, "version").out());
    }
}
