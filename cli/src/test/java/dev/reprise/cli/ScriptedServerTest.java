package dev.reprise.cli;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What command tests share: a scripted server, an empty config directory, and an environment pointing the CLI at
 * the server. Subclasses script their replies in their own {@code @BeforeEach}, which runs after this one.
 */
public abstract class ScriptedServerTest {

    protected final ScriptedServer server = ScriptedServer.start();

    @TempDir
    protected Path dir;

    protected Map<String, String> env;

    @BeforeEach
    void pointTheCliAtTheServer() {
        env = Map.of("XDG_CONFIG_HOME", dir.toString(), "REPRISE_SERVER", server.uri().toString());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }
}
