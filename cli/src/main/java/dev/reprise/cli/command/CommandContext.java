package dev.reprise.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.cli.client.ApiClient;
import dev.reprise.cli.client.Json;
import dev.reprise.cli.config.CliConfig;
import dev.reprise.cli.render.TableRenderer;
import java.io.PrintWriter;
import java.util.Map;
import java.util.function.Function;

/** What every command shares: the global options, the environment they are resolved against, and stdout. */
public final class CommandContext {
    private final GlobalOptions options;
    private final Map<String, String> env;
    private final PrintWriter out;
    private final TableRenderer tables = new TableRenderer();

    public CommandContext(GlobalOptions options, Map<String, String> env, PrintWriter out) {
        this.options = options;
        this.env = Map.copyOf(env);
        this.out = out;
    }

    /** A client for the server and token that the flags, environment and config file select. */
    public ApiClient client() {
        CliConfig config = CliConfig.resolve(options.server(), options.token(), env);
        return ApiClient.create(config.server(), config.token(), "reprise-cli/" + VersionInfo.version());
    }

    /** The CLI's environment variables (a secret's value may come from one). */
    public Map<String, String> env() {
        return env;
    }

    public TableRenderer tables() {
        return tables;
    }

    /**
     * Prints the JSON pretty-printed with {@code -o json}, else the text view made from it. A success without a body
     * prints nothing.
     */
    public void print(JsonNode body, Function<JsonNode, String> textView) {
        if (body.isMissingNode()) {
            return;
        }
        String text = options.output() == OutputFormat.JSON ? Json.pretty(body) : textView.apply(body);
        out.print(text + "\n");
        out.flush();
    }
}
