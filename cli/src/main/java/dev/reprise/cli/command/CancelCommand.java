package dev.reprise.cli.command;

import dev.reprise.cli.render.SweepViews;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Parameters;

/** {@code reprise cancel SWEEP_ID}: stops a sweep; queued runs will not start. */
@Command(name = "cancel", description = "Cancel a sweep.")
public final class CancelCommand implements Callable<Integer> {
    private final CommandContext context;

    @Parameters(paramLabel = "SWEEP_ID", description = "Sweep id.")
    private long sweepId;

    public CancelCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        SweepControlCommands.control(context, sweepId, "cancel", Optional.empty(), SweepViews::cancelled);
        return ExitCode.OK;
    }
}
