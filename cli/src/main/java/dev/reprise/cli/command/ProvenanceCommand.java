package dev.reprise.cli.command;

import dev.reprise.cli.client.Query;
import dev.reprise.cli.render.ProvenanceViews;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Parameters;

/** {@code reprise provenance RUN_ID}: what the run is made of (image, digest, data, git, seed, environment). */
@Command(name = "provenance", description = "Show a run's provenance record: spec hash, image and digest, data "
        + "snapshot, git, seed, environment (secrets redacted), agent, node and GPU.")
public final class ProvenanceCommand implements Callable<Integer> {
    private final CommandContext context;

    @Parameters(paramLabel = "RUN_ID", description = "Run id, as listed by runs.")
    private long runId;

    public ProvenanceCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        context.print(context.client().get("/api/v1/runs/" + runId + "/provenance", Query.empty()),
                ProvenanceViews::detail);
        return ExitCode.OK;
    }
}
