package dev.reprise.cli.command;

import dev.reprise.cli.client.Json;
import dev.reprise.cli.client.Payload;
import dev.reprise.cli.client.Query;
import dev.reprise.cli.client.Sweep;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Parameters;

/**
 * {@code reprise pause|resume|extend|retry} (and {@code cancel}, {@link CancelCommand}): control a submitted sweep. Every
 * control is one POST to {@code /api/v1/sweeps/ID/VERB}, the server's one control path ({@code SweepControl}).
 */
public final class SweepControlCommands {

    private SweepControlCommands() {
    }

    /** Posts the control and prints the sweep it answers with. */
    static void control(CommandContext context, long sweepId, String verb, Optional<Payload> body,
            Function<Sweep, String> render) {
        context.print(context.client().post("/api/v1/sweeps/" + sweepId + "/" + verb, Query.empty(), body),
                json -> render.apply(Json.convert(json, Sweep.class)));
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
            control(context, sweepId, "pause", Optional.empty(), s -> line("Paused", s));
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
            control(context, sweepId, "resume", Optional.empty(), s -> line("Resumed", s));
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
            control(context, sweepId, "extend", Optional.of(new Payload("application/json", body)),
                    s -> line("Extended", s));
            return ExitCode.OK;
        }
    }

    @Command(name = "retry", description = {"Retry failed, lost or cancelled runs of a sweep in place: each gets a new "
            + "attempt with the same index, parameters and seed, resuming from its newest checkpoint; a sweep that "
            + "ended is reopened.", "Without --run: every failed, lost or cancelled run (as --failed)."})
    public static final class Retry implements Callable<Integer> {
        private final CommandContext context;

        @Parameters(index = "0", paramLabel = "SWEEP_ID", description = "Sweep id.")
        private long sweepId;

        @picocli.CommandLine.Option(names = "--failed", description = "Every failed, lost or cancelled run (the "
                + "default without --run).")
        private boolean failed;

        @picocli.CommandLine.Option(names = "--run", paramLabel = "RUN_ID", arity = "1..*",
                description = "Only these runs (repeatable); refused if one succeeded or has not ended.")
        private java.util.List<Long> runs = new java.util.ArrayList<>();

        public Retry(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            StringBuilder body = new StringBuilder("{");
            if (failed || runs.isEmpty()) {
                body.append("\"failed\":true");
            }
            if (!runs.isEmpty()) {
                body.append(body.length() > 1 ? "," : "").append("\"runIds\":").append(runs);
            }
            body.append('}');
            context.print(context.client().post("/api/v1/sweeps/" + sweepId + "/retry", Query.empty(),
                    Optional.of(new Payload("application/json", body.toString().replace(" ", "")
                            .getBytes(StandardCharsets.UTF_8)))), Retry::render);
            return ExitCode.OK;
        }

        static String render(com.fasterxml.jackson.databind.JsonNode json) {
            Sweep s = Json.convert(json.path("sweep"), Sweep.class);
            com.fasterxml.jackson.databind.JsonNode retried = json.path("retried");
            if (retried.isEmpty()) {
                return "Nothing to retry in sweep " + s.id() + " (" + s.name() + "): no failed, lost or cancelled "
                        + "run; " + s.status();
            }
            StringBuilder out = new StringBuilder("Retried " + retried.size() + " run(s) of sweep " + s.id() + " ("
                    + s.name() + "): " + s.status());
            for (com.fasterxml.jackson.databind.JsonNode r : retried) {
                out.append("\n  run ").append(r.path("id").asLong()).append(" (index ").append(r.path("index").asInt())
                        .append(", seed ").append(r.path("seed").asText()).append("): attempt ")
                        .append(r.path("attempt").asInt());
            }
            return out.toString();
        }
    }
}
