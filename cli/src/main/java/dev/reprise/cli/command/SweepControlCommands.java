package dev.reprise.cli.command;

import dev.reprise.cli.client.Json;
import dev.reprise.cli.client.Payload;
import dev.reprise.cli.client.Query;
import dev.reprise.cli.client.Sweep;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Parameters;

/** {@code reprise pause|resume|extend}: control a sweep that is running. */
public final class SweepControlCommands {

    private SweepControlCommands() {
    }

    static String line(String verb, Sweep s) {
        return verb + " sweep " + s.id() + " (" + s.name() + "): " + s.status()
                + (Boolean.TRUE.equals(s.paused()) ? ", paused" : "") + ", max_trials " + s.maxTrials();
    }

    @Command(name = "pause", description = "Pause a sweep: no new trials start; running ones finish.")
    public static final class Pause implements Callable<Integer> {
        private final CommandContext context;

        @Parameters(paramLabel = "SWEEP_ID", description = "Sweep id.")
        private long sweepId;

        public Pause(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            context.print(context.client().post("/api/v1/sweeps/" + sweepId + "/pause", Query.empty(),
                    Optional.empty()), json -> line("Paused", Json.convert(json, Sweep.class)));
            return ExitCode.OK;
        }
    }

    @Command(name = "resume", description = "Resume a paused sweep.")
    public static final class Resume implements Callable<Integer> {
        private final CommandContext context;

        @Parameters(paramLabel = "SWEEP_ID", description = "Sweep id.")
        private long sweepId;

        public Resume(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            context.print(context.client().post("/api/v1/sweeps/" + sweepId + "/resume", Query.empty(),
                    Optional.empty()), json -> line("Resumed", Json.convert(json, Sweep.class)));
            return ExitCode.OK;
        }
    }

    @Command(name = "extend", description = "Raise a sweep's max_trials (reopens a sweep that ended).")
    public static final class Extend implements Callable<Integer> {
        private final CommandContext context;

        @Parameters(index = "0", paramLabel = "SWEEP_ID", description = "Sweep id.")
        private long sweepId;

        @Parameters(index = "1", paramLabel = "MAX_TRIALS", description = "The new max_trials.")
        private int maxTrials;

        public Extend(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            byte[] body = ("{\"max_trials\":" + maxTrials + "}").getBytes(StandardCharsets.UTF_8);
            context.print(context.client().post("/api/v1/sweeps/" + sweepId + "/extend", Query.empty(),
                    Optional.of(new Payload("application/json", body))),
                    json -> line("Extended", Json.convert(json, Sweep.class)));
            return ExitCode.OK;
        }
    }
}
