package dev.reprise.cli.command;

import dev.reprise.cli.client.Query;
import dev.reprise.cli.render.MetricViews;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code reprise metrics RUN_ID [KEY]}: every key of a run with its summary, or one key's series. */
@Command(name = "metrics", description = "Show a run's metric keys with their last, min and max, or one key's values.")
public final class MetricsCommand implements Callable<Integer> {
    private final CommandContext context;

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "Run id, as listed by runs.")
    private long runId;

    @Parameters(index = "1", arity = "0..1", paramLabel = "KEY",
            description = "A metric key, e.g. loss or sys/gpu.0.util: print its values by step.")
    private String key;

    @Option(names = "--max-points", paramLabel = "N", defaultValue = "100",
            description = "With KEY: at most N points; longer ranges are downsampled by the server (default: 100).")
    private int maxPoints;

    @Option(names = "--from", paramLabel = "STEP", description = "With KEY: first step.")
    private Long from;

    @Option(names = "--to", paramLabel = "STEP", description = "With KEY: last step.")
    private Long to;

    @Option(names = "--attempt", paramLabel = "N", description = "With KEY: the attempt (default: the latest).")
    private Integer attempt;

    public MetricsCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String base = "/api/v1/runs/" + runId + "/metrics";
        if (key == null) {
            context.print(context.client().get(base, Query.empty()),
                    json -> MetricViews.keys(json, context.tables()));
        } else {
            Query query = Query.of("max_points", maxPoints).and("from", from).and("to", to).and("attempt", attempt);
            context.print(context.client().get(base + "/" + pathOf(key), query),
                    json -> MetricViews.series(json, context.tables()));
        }
        return ExitCode.OK;
    }

    /** Each segment percent-encoded, slashes kept: keys like train/loss stay readable paths. */
    static String pathOf(String key) {
        return Arrays.stream(key.split("/", -1))
                .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }
}
