package dev.reprise.cli.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which server the CLI talks to and with which token. Each is taken from the first place that sets it: the
 * command-line flag, then the environment ({@code REPRISE_SERVER}, {@code REPRISE_TOKEN}), then the config file
 * ({@code server=}, {@code token=}), then the default (server only). Blank values count as unset.
 */
public record CliConfig(URI server, Optional<String> token) {
    public static final URI DEFAULT_SERVER = URI.create("http://127.0.0.1:8080");
    public static final String SERVER_ENV = "REPRISE_SERVER";
    public static final String TOKEN_ENV = "REPRISE_TOKEN";

    public static CliConfig resolve(String serverFlag, String tokenFlag, Map<String, String> env) {
        ConfigFile file = ConfigFile.load(ConfigFile.locate(env));
        Optional<Setting> server = firstSet(List.of(
                setting(serverFlag, "--server"),
                setting(env.get(SERVER_ENV), SERVER_ENV),
                file.get("server").map(v -> new Setting(v, "server= in " + file.path()))));
        Optional<String> token = firstSet(List.of(
                setting(tokenFlag, "--token"),
                setting(env.get(TOKEN_ENV), TOKEN_ENV),
                file.get("token").map(v -> new Setting(v, "token= in " + file.path()))))
                .map(Setting::value);
        return new CliConfig(server.map(CliConfig::serverUri).orElse(DEFAULT_SERVER), token);
    }

    private static URI serverUri(Setting setting) {
        try {
            URI uri = new URI(setting.value());
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            if (http && uri.getHost() != null && uri.getRawQuery() == null && uri.getRawFragment() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below, with where the value came from
        }
        throw new InvalidConfigException("Invalid server URL '" + setting.value() + "' (from " + setting.origin()
                + "): expected http://HOST:PORT or https://HOST[:PORT][/PATH]");
    }

    private static Optional<Setting> setting(String value, String origin) {
        return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty()).map(v -> new Setting(v, origin));
    }

    private static Optional<Setting> firstSet(List<Optional<Setting>> candidates) {
        return candidates.stream().flatMap(Optional::stream).findFirst();
    }

    private record Setting(String value, String origin) {
    }
}
