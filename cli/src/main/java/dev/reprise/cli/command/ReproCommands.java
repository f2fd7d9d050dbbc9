package dev.reprise.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.cli.ExitCodes;
import dev.reprise.cli.client.Payload;
import dev.reprise.cli.client.Query;
import dev.reprise.cli.render.CompareViews;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code reprise rerun}, {@code reprise compare} and {@code reprise clone}. */
public final class ReproCommands {

    private ReproCommands() {
    }

    /** {@code reprise rerun RUN_ID}: a new run pinned to the original's image digest, data, parameters and seed. */
    @Command(name = "rerun", description = "Re-run a run exactly: a new single-trial sweep pinned to the run's "
            + "recorded image digest, parameters, data snapshot and seed.")
    public static final class Rerun implements Callable<Integer> {
        private final CommandContext context;

        @Parameters(paramLabel = "RUN_ID", description = "The run to re-run.")
        private long runId;

        public Rerun(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            context.print(context.client().post("/api/v1/runs/" + runId + "/rerun", Query.empty(), Optional.empty()),
                    json -> "Re-running run " + runId + " as run " + json.path("runId").asText() + " (sweep "
                            + json.path("sweep").path("id").asText() + ", " + json.path("sweep").path("name").asText()
                            + "). Compare with: reprise compare " + runId + " " + json.path("runId").asText());
            return ExitCode.OK;
        }
    }

    /** {@code reprise compare A B}: exits 0 when reproduced, 5 when diverged. */
    @Command(name = "compare", description = "Compare two runs: what differs in their provenance and parameters, "
            + "and whether their metrics agree within a tolerance. Exits 0 when reproduced, 5 when diverged.")
    public static final class Compare implements Callable<Integer> {
        private final CommandContext context;

        @Parameters(index = "0", paramLabel = "RUN_A", description = "The reference run.")
        private long a;

        @Parameters(index = "1", paramLabel = "RUN_B", description = "The run compared with it.")
        private long b;

        @Option(names = "--rtol", paramLabel = "R", description = "Relative tolerance (server default 1e-5).")
        private String rtol;

        @Option(names = "--atol", paramLabel = "A", description = "Absolute tolerance (server default 1e-8).")
        private String atol;

        public Compare(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode json = context.client().get("/api/v1/runs/" + a + "/compare/" + b,
                    Query.of("rtol", rtol).and("atol", atol));
            context.print(json, CompareViews::detail);
            return "reproduced".equals(json.path("verdict").asText()) ? ExitCode.OK : ExitCodes.DIVERGED;
        }
    }

    /** {@code reprise clone SWEEP_ID --set PATH=VALUE ... [--name NAME]}. */
    @Command(name = "clone", description = "Submit a copy of a sweep with changes (same seed and data unless "
            + "changed).")
    public static final class Clone implements Callable<Integer> {
        private static final ObjectMapper MAPPER = new ObjectMapper()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

        private final CommandContext context;

        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "SWEEP_ID", description = "The sweep to copy.")
        private long sweepId;

        @Option(names = "--set", paramLabel = "PATH=VALUE", description = "A change by dotted path into the sweep "
                + "document, e.g. lr.max=0.1 (= parameters.lr.max), max_trials=20, data.snapshot=digits:v4. VALUE "
                + "is read as JSON when it is JSON (numbers, true, null, [1,2]) and as a string otherwise. "
                + "Repeatable.")
        private List<String> sets = new ArrayList<>();

        @Option(names = "--name", paramLabel = "NAME", description = "Name of the new sweep (default "
                + "<name>-clone).")
        private String name;

        public Clone(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            if (name != null) {
                body.put("name", name);
            }
            ArrayNode set = body.putArray("set");
            for (String s : sets) {
                int eq = s.indexOf('=');
                if (eq <= 0) {
                    throw new ParameterException(spec.commandLine(), "--set needs PATH=VALUE, got '" + s + "'");
                }
                set.addObject().put("path", s.substring(0, eq)).set("value", value(s.substring(eq + 1)));
            }
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            context.print(context.client().post("/api/v1/sweeps/" + sweepId + "/clone", Query.empty(),
                    Optional.of(new Payload("application/json", bytes))),
                    json -> "Cloned sweep " + sweepId + " as sweep " + json.path("id").asText() + " ("
                            + json.path("name").asText() + ", " + json.path("maxTrials").asText() + " trials)");
            return ExitCode.OK;
        }

        static JsonNode value(String raw) {
            try {
                return MAPPER.readTree(raw);
            } catch (java.io.IOException e) {
                return JsonNodeFactory.instance.textNode(raw);
            }
        }
    }
}
