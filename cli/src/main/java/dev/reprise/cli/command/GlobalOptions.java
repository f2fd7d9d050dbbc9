package dev.reprise.cli.command;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command accepts, before or after the command name. */
public final class GlobalOptions {

    @Option(names = "--server", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "Orchestrator URL, default http://127.0.0.1:8080. Without this flag: "
                    + "$REPRISE_SERVER, then server= in the config file.")
    private String server;

    @Option(names = "--token", paramLabel = "TOKEN", scope = ScopeType.INHERIT,
            description = "Bearer token to send. Without it: $REPRISE_TOKEN, then token= in the config file.")
    private String token;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", scope = ScopeType.INHERIT,
            description = "table (default) or json: the server's JSON, pretty-printed.")
    private OutputFormat output;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help.")
    private boolean helpRequested;

    public String server() {
        return server;
    }

    public String token() {
        return token;
    }

    public OutputFormat output() {
        return output == null ? OutputFormat.TABLE : output;
    }
}
