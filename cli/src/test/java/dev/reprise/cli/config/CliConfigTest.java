package dev.reprise.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliConfigTest {

    @TempDir
    private Path configHome;

    @Test
    void defaultsToTheLocalOrchestratorWithoutATokenWhenNothingIsSet() {
        CliConfig config = CliConfig.resolve(null, null, Map.of("XDG_CONFIG_HOME", configHome.toString()));

        assertThat(config.server()).isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThat(config.token()).isEmpty();
    }

    @Test
    void prefersTheFlagOverTheEnvironmentAndTheFile() throws IOException {
        writeConfig("server=http://file:1\ntoken=file-token\n");

        CliConfig config = CliConfig.resolve("http://flag:1", "flag-token", env("http://env:1", "env-token"));

        assertThat(config.server()).isEqualTo(URI.create("http://flag:1"));
        assertThat(config.token()).contains("flag-token");
    }

    @Test
    void prefersTheEnvironmentOverTheFile() throws IOException {
        writeConfig("server=http://file:1\ntoken=file-token\n");

        CliConfig config = CliConfig.resolve(null, null, env("http://env:1", "env-token"));

        assertThat(config.server()).isEqualTo(URI.create("http://env:1"));
        assertThat(config.token()).contains("env-token");
    }

    @Test
    void prefersTheFileOverTheDefault() throws IOException {
        writeConfig("server = https://reprise.example.com/  \ntoken = file-token\n");

        CliConfig config = CliConfig.resolve(null, null, env(null, null));

        assertThat(config.server()).isEqualTo(URI.create("https://reprise.example.com/"));
        assertThat(config.token()).contains("file-token");
    }

    @Test
    void takesEachSettingFromItsOwnFirstSource() throws IOException {
        writeConfig("token=file-token\n");

        CliConfig config = CliConfig.resolve(null, null, env("http://env:1", null));

        assertThat(config.server()).isEqualTo(URI.create("http://env:1"));
        assertThat(config.token()).contains("file-token");
    }

    @Test
    void countsBlankValuesAsUnset() throws IOException {
        writeConfig("server=\ntoken=   \n");

        CliConfig config = CliConfig.resolve(" ", "", env("", " "));

        assertThat(config.server()).isEqualTo(CliConfig.DEFAULT_SERVER);
        assertThat(config.token()).isEmpty();
    }

    @Test
    void readsTheFileUnderHomeWhenXdgConfigHomeIsUnset() throws IOException {
        Path file = Files.createDirectories(configHome.resolve(".config/reprise")).resolve("config");
        Files.writeString(file, "server=http://home:1\n");

        CliConfig config = CliConfig.resolve(null, null, Map.of("HOME", configHome.toString()));

        assertThat(config.server()).isEqualTo(URI.create("http://home:1"));
    }

    @Test
    void ignoresARelativeXdgConfigHome() {
        assertThat(ConfigFile.locate(Map.of("XDG_CONFIG_HOME", "relative", "HOME", "/home/ada")))
                .isEqualTo(Path.of("/home/ada/.config/reprise/config"));
    }

    @Test
    void rejectsAServerThatIsNotHttpAndNamesTheFileItCameFrom() throws IOException {
        Path file = writeConfig("server=ftp://files.example.com\n");

        assertThatThrownBy(() -> CliConfig.resolve(null, null, env(null, null)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'ftp://files.example.com'")
                .hasMessageContaining("server= in " + file);
    }

    @Test
    void rejectsAServerWithoutHost() {
        assertThatThrownBy(() -> CliConfig.resolve("http://", null, env(null, null)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("(from --server)");
    }

    private Path writeConfig(String text) throws IOException {
        Path file = Files.createDirectories(configHome.resolve("reprise")).resolve("config");
        return Files.writeString(file, text);
    }

    private Map<String, String> env(String server, String token) {
        Map<String, String> env = new HashMap<>();
        env.put("XDG_CONFIG_HOME", configHome.toString());
        if (server != null) {
            env.put("REPRISE_SERVER", server);
        }
        if (token != null) {
            env.put("REPRISE_TOKEN", token);
        }
        return env;
    }
}
