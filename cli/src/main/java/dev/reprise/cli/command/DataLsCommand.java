package dev.reprise.cli.command;

import dev.reprise.api.snapshots.SnapshotRef;
import dev.reprise.cli.client.Query;
import dev.reprise.cli.render.SnapshotViews;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code reprise data ls [--name NAME]}: snapshots, newest first, with the tags pointing at them. */
@Command(name = "ls", description = "List data snapshots, newest first.")
public final class DataLsCommand implements Callable<Integer> {
    private final CommandContext context;

    @Spec
    private CommandSpec spec;

    @Option(names = "--name", paramLabel = "NAME", description = "Only snapshots a tag of this name points at.")
    private String name;

    @Mixin
    private PageOptions pageOptions;

    public DataLsCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (name != null) {
            SnapshotRef.nameProblem(name).ifPresent(p -> {
                throw new ParameterException(spec.commandLine(), "--name " + p);
            });
        }
        context.print(context.client().get("/api/v1/snapshots", pageOptions.addTo(Query.of("name", name))),
                SnapshotViews::table);
        return ExitCode.OK;
    }
}
