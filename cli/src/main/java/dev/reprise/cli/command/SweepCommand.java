package dev.reprise.cli.command;

import dev.reprise.cli.client.Json;
import dev.reprise.cli.client.Query;
import dev.reprise.cli.client.Sweep;
import dev.reprise.cli.render.SweepViews;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Parameters;

/** {@code reprise sweep SWEEP_ID}: everything the server says about one sweep. */
@Command(name = "sweep", description = "Show one sweep.")
public final class SweepCommand implements Callable<Integer> {
    private final CommandContext context;

    @Parameters(paramLabel = "SWEEP_ID", description = "Sweep id, as printed by submit and sweeps.")
    private long sweepId;

    public SweepCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        context.print(
                context.client().get("/api/v1/sweeps/" + sweepId, Query.empty()),
                json -> SweepViews.detail(Json.convert(json, Sweep.class), json));
        return ExitCode.OK;
    }
}
