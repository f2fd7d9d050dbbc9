package dev.reprise.cli.command;

import dev.reprise.cli.client.Json;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;

/** {@code reprise version}: the CLI's own version; it does not contact the server. */
@Command(name = "version", description = "Print the version of this CLI.")
public final class VersionCommand implements Callable<Integer> {
    private final CommandContext context;

    public VersionCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String version = VersionInfo.version();
        context.print(Json.tree(Map.of("version", version)), json -> "reprise " + version);
        return ExitCode.OK;
    }
}
