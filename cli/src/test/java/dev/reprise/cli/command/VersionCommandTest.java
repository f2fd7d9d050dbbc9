package dev.reprise.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.cli.Reprise;
import dev.reprise.cli.Reprise.Result;
import dev.reprise.cli.ScriptedServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionCommandTest {
    private final ScriptedServer server = ScriptedServer.start();

    @TempDir
    private Path dir;

    private Map<String, String> env;

    @BeforeEach
    void environment() {
        env = Map.of("XDG_CONFIG_HOME", dir.toString(), "REPRISE_SERVER", server.uri().toString());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

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
