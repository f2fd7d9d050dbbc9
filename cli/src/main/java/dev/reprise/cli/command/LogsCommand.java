package dev.reprise.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.cli.client.Json;
import dev.reprise.cli.client.Query;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code reprise logs RUN_ID [--follow] [--rank K]}: the output lines a run's agent shipped, both streams in shipping
 * order; of a distributed trial, rank 0's unless {@code --rank} names another rank.
 * With {@code --follow} it keeps printing new lines, stream by stream from the last line seen, until the attempt has
 * ended and every line is printed (or until interrupted).
 */
@Command(name = "logs", description = "Print the output lines of a run; --follow keeps printing new ones.")
public final class LogsCommand implements Callable<Integer> {
    static final int PAGE = 500;

    private final CommandContext context;

    @Parameters(paramLabel = "RUN_ID", description = "Run id, as listed by runs.")
    private long runId;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until the attempt ends.")
    private boolean follow;

    @Option(names = "--stream", paramLabel = "STREAM", description = "Only stdout or stderr.")
    private Stream stream;

    @Option(names = "--attempt", paramLabel = "N", description = "The attempt (default: the newest with output).")
    private Integer attempt;

    @Option(names = "--rank", paramLabel = "K",
            description = "A distributed trial's node rank whose lines to print (default 0, the run's own).")
    private Integer rank;

    @Option(names = "--poll-interval", paramLabel = "MILLIS", defaultValue = "1000", hidden = true)
    private long pollMillis;

    /** Which output stream. */
    enum Stream {
        STDOUT, STDERR;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public LogsCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws InterruptedException {
        return follow ? follow() : printAll();
    }

    private Integer printAll() {
        for (int page = 0; ; page++) {
            JsonNode body = context.client().get(path(), Query.of("attempt", attempt).and("rank", rank)
                    .and("stream", stream == null ? null : stream.wireName()).and("page", page).and("size", PAGE));
            print(body.path("items"));
            if ((long) (page + 1) * PAGE >= body.path("total").asLong()) {
                return ExitCode.OK;
            }
        }
    }

    /**
     * Polls each stream from the next line it has not printed. Lines print only in order: a gap (a chunk that
     * arrives late) is waited for, unless the attempt is complete.
     */
    private Integer follow() throws InterruptedException {
        Map<Stream, Long> next = new LinkedHashMap<>();
        for (Stream s : stream == null ? Stream.values() : new Stream[] {stream}) {
            next.put(s, 0L);
        }
        Integer att = attempt;
        while (true) {
            boolean complete = true;
            boolean printed = false;
            for (Map.Entry<Stream, Long> e : next.entrySet()) {
                JsonNode body = context.client().get(path(), Query.of("attempt", att).and("rank", rank)
                        .and("stream", e.getKey().wireName()).and("from_line", e.getValue()).and("size", PAGE));
                att = body.path("attempt").asInt();
                boolean done = body.path("complete").asBoolean();
                List<JsonNode> lines = new ArrayList<>();
                long expected = e.getValue();
                for (JsonNode line : body.path("items")) {
                    long n = line.path("line").asLong();
                    if (n != expected && !done) {
                        break;
                    }
                    lines.add(line);
                    expected = n + 1;
                }
                if (!lines.isEmpty()) {
                    print(Json.tree(lines));
                    e.setValue(expected);
                    printed = true;
                }
                complete &= done && body.path("total").asLong() <= lines.size();
            }
            if (complete) {
                return ExitCode.OK;
            }
            if (!printed) {
                Thread.sleep(Duration.ofMillis(pollMillis).toMillis());
            }
        }
    }

    private String path() {
        return "/api/v1/runs/" + runId + "/logs";
    }

    /** The lines' text, one per line; with -o json the lines as the server sent them. */
    private void print(JsonNode lines) {
        if (lines.isEmpty()) {
            return;
        }
        List<String> texts = new ArrayList<>();
        lines.forEach(l -> texts.add(l.path("text").asText()));
        context.print(lines, json -> String.join("\n", texts));
    }

}
