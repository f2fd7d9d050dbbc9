package dev.reprise.cli;

import static dev.reprise.cli.Reprise.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server and token come from the flag, else the environment, else the config file: end to end. */
class ServerSelectionTest {
    private final ScriptedServer flagServer = ScriptedServer.start();
    private final ScriptedServer envServer = ScriptedServer.start();
    private final ScriptedServer fileServer = ScriptedServer.start();

    @TempDir
    private Path configHome;

    @BeforeEach
    void scriptServersAndWriteConfigFile() throws IOException {
        for (ScriptedServer server : new ScriptedServer[] {flagServer, envServer, fileServer}) {
            server.replyJson("GET", "/api/v1/runs/345", 200, fixture("responses/run.json"));
        }
        Path file = Files.createDirectories(configHome.resolve("reprise")).resolve("config");
        Files.writeString(file, "# reprise CLI\nserver = " + fileServer.uri() + "\ntoken = from-file\n");
    }

    @AfterEach
    void stopServers() {
        flagServer.close();
        envServer.close();
        fileServer.close();
    }

    @Test
    void usesTheFlagOverTheEnvironmentAndTheConfigFile() {
        Reprise.run(environment(), "run", "345", "--server", flagServer.uri().toString(), "--token", "from-flag");

        assertThat(flagServer.onlyRequest().header("Authorization")).contains("Bearer from-flag");
        assertThat(envServer.requests()).isEmpty();
        assertThat(fileServer.requests()).isEmpty();
    }

    @Test
    void usesTheEnvironmentOverTheConfigFile() {
        Reprise.run(environment(), "run", "345");

        assertThat(envServer.onlyRequest().header("Authorization")).contains("Bearer from-env");
        assertThat(fileServer.requests()).isEmpty();
    }

    @Test
    void usesTheConfigFileWhenNeitherFlagNorEnvironmentIsSet() {
        Reprise.run(Map.of("XDG_CONFIG_HOME", configHome.toString()), "run", "345");

        assertThat(fileServer.onlyRequest().header("Authorization")).contains("Bearer from-file");
    }

    @Test
    void treatsBlankEnvironmentVariablesAsUnset() {
        Reprise.run(Map.of("XDG_CONFIG_HOME", configHome.toString(), "REPRISE_SERVER", " ", "REPRISE_TOKEN", ""),
                "run", "345");

        assertThat(fileServer.onlyRequest().header("Authorization")).contains("Bearer from-file");
    }

    private Map<String, String> environment() {
        return Map.of("XDG_CONFIG_HOME", configHome.toString(),
                "REPRISE_SERVER", envServer.uri().toString(),
                "REPRISE_TOKEN", "from-env");
    }
}
