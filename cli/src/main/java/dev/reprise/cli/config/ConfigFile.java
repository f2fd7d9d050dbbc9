package dev.reprise.cli.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/** The properties file {@code ${XDG_CONFIG_HOME:-~/.config}/reprise/config}; a missing file is an empty one. */
public record ConfigFile(Path path, Properties properties) {

    /** Where the file lives for this environment: {@code XDG_CONFIG_HOME}, else {@code HOME}, else {@code user.home}. */
    public static Path locate(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "reprise", "config");
        }
        String home = env.get("HOME");
        if (home == null || home.isBlank()) {
            home = System.getProperty("user.home");
        }
        return Path.of(home, ".config", "reprise", "config");
    }

    public static ConfigFile load(Path path) {
        Properties properties = new Properties();
        if (!Files.exists(path)) {
            return new ConfigFile(path, properties);
        }
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidConfigException("Cannot read the config file " + path + ": " + e.getMessage());
        }
        return new ConfigFile(path, properties);
    }

    /** The trimmed value of a key, empty when it is missing or blank. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(properties.getProperty(key)).map(String::strip).filter(v -> !v.isEmpty());
    }
}
