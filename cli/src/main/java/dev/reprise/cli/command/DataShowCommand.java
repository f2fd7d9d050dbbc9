package dev.reprise.cli.command;

import dev.reprise.cli.client.Query;
import dev.reprise.cli.render.SnapshotViews;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code reprise data show REF}: one snapshot, its tags and files. */
@Command(name = "show", description = "Show one data snapshot and its files.")
public final class DataShowCommand implements Callable<Integer> {
    private final CommandContext context;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "REF", description = "NAME, NAME:TAG or an id sha256:...")
    private String ref;

    public DataShowCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String checked = DataPullCommand.checkRef(spec, ref).toString();
        context.print(context.client().get("/api/v1/snapshots/" + checked, Query.empty()), SnapshotViews::detail);
        return ExitCode.OK;
    }
}
