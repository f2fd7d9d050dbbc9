package dev.reprise.cli.command;

import dev.reprise.cli.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code reprise data}: content-addressed data snapshots. Without a subcommand it prints its usage. */
@Command(name = "data", description = "Push, list, show, pull and delete data snapshots.",
        synopsisSubcommandLabel = "COMMAND", commandListHeading = "%nCommands:%n")
public final class DataCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    private DataCommand() {
    }

    /** The {@code data} command with its subcommands. */
    public static CommandLine create(CommandContext context) {
        return new CommandLine(new DataCommand())
                .addSubcommand(new DataPushCommand(context))
                .addSubcommand(new DataLsCommand(context))
                .addSubcommand(new DataShowCommand(context))
                .addSubcommand(new DataPullCommand(context))
                .addSubcommand(new DataRmCommand(context));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** Threads for hashing and transfers: the cores, at least 2 and at most 16. */
    static int defaultThreads() {
        return Math.max(2, Math.min(16, Runtime.getRuntime().availableProcessors()));
    }
}
