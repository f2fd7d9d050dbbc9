package dev.reprise.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import dev.reprise.cli.RecordedRequest;
import dev.reprise.cli.Reprise;
import dev.reprise.cli.Reprise.Result;
import dev.reprise.cli.ScriptedServerTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LogsCommandTest extends ScriptedServerTest {


    @Test
    void printsEveryLinePageByPage() {
        server.handle("GET", "/api/v1/runs/7/logs", exchange -> {
            int page = Integer.parseInt(query(exchange).get("page"));
            int from = page * LogsCommand.PAGE;
            int to = Math.min(from + LogsCommand.PAGE, 600);
            List<String> items = new ArrayList<>();
            for (int i = from; i < to; i++) {
                items.add(line("stdout", i, "line " + i));
            }
            json(exchange, page(items, 600, true));
        });

        Result result = Reprise.run(env, "logs", "7");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().split("\n")).hasSize(600).startsWith("line 0").endsWith("line 599");
        assertThat(server.requests()).extracting(RecordedRequest::query)
                .extracting(q -> q.get("page")).containsExactly("0", "1");
    }

    @Test
    void printsTheLinesOfTheRankItIsAskedFor() {
        server.handle("GET", "/api/v1/runs/7/logs", exchange -> json(exchange, page(List.of(
                line("stdout", 0, "rank " + query(exchange).get("rank") + " says hello")), 1, true)));

        Result result = Reprise.run(env, "logs", "7", "--rank", "1");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("rank 1 says hello\n");
        assertThat(server.requests()).extracting(RecordedRequest::query).allSatisfy(q ->
                assertThat(q).containsEntry("rank", "1"));
    }

    @Test
    void followsBothStreamsFromTheLastLineSeenUntilTheAttemptIsComplete() {
        AtomicInteger polls = new AtomicInteger();
        server.handle("GET", "/api/v1/runs/7/logs", exchange -> {
            Map<String, String> q = query(exchange);
            long from = Long.parseLong(q.get("from_line"));
            boolean stdout = q.get("stream").equals("stdout");
            int round = stdout ? polls.incrementAndGet() : polls.get();
            List<String> items = new ArrayList<>();
            if (stdout && round == 1) {
                items.add(line("stdout", 0, "epoch 1"));
                items.add(line("stdout", 2, "epoch 3 (line 1 not here yet)"));
            } else if (stdout && round == 2 && from == 1) {
                items.add(line("stdout", 1, "epoch 2"));
                items.add(line("stdout", 2, "epoch 3 (line 1 not here yet)"));
            } else if (!stdout && round == 2 && from == 0) {
                items.add(line("stderr", 0, "warning"));
            }
            json(exchange, page(items, items.size(), round >= 2));
        });

        Result result = Reprise.run(env, "logs", "7", "--follow", "--poll-interval", "10");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("epoch 1\nepoch 2\nepoch 3 (line 1 not here yet)\nwarning\n");
    }

    private static String line(String stream, long n, String text) {
        return "{\"stream\":\"" + stream + "\",\"line\":" + n + ",\"text\":\"" + text + "\"}";
    }

    private static String page(List<String> items, long total, boolean complete) {
        return "{\"items\":[" + String.join(",", items) + "],\"page\":0,\"size\":500,\"total\":" + total
                + ",\"attempt\":0,\"complete\":" + complete + "}";
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> q = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            Arrays.stream(raw.split("&")).map(p -> p.split("=", 2)).forEach(p ->
                    q.put(p[0], URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
        }
        return q;
    }

    private static void json(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
