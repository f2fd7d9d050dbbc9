package dev.reprise.orchestrator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.api.messages.MessageCodec;
import dev.reprise.api.messages.MetricBatch;
import dev.reprise.api.messages.Topics;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of generated malformed and hostile sweep documents and agent messages (a seeded generator, so a failure
 * names its case and repeats): never a 5xx, never a partial write, every request answered within the client's
 * timeout, and the ingest still takes good reports afterwards.
 */
@QuarkusTest
class HostileInputFuzzTest {

    private static final long SEED = 20261126L;
    private static final int SWEEP_CASES = 300;
    private static final int MESSAGE_CASES = 200;
    private static final Set<Integer> CLIENT_ERRORS = Set.of(400, 409, 413, 415, 422);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TestHTTPResource("/")
    URL server;

    @Inject
    AgroalDataSource dataSource;

    /** A valid document the mutations start from; its name is unique per case. */
    private static String base(String name) {
        return "name: " + name + "\nproject: fuzz\nimage: python:3.12-slim\nprogram: train.py\nmethod: grid\n"
                + "metric:\n  name: loss\n  goal: minimize\nparameters:\n  lr:\n    values: [0.1, 0.01]\n"
                + "  layers:\n    values: [1, 2]\n";
    }

    /** The hostile shapes; each takes a random source and a fresh name and returns a body and content type. */
    private static final List<Function<Random, String[]>> MUTATIONS = List.of(
            r -> yaml(base(n()).substring(0, r.nextInt(base(n()).length()))),
            r -> yaml(dropLine(base(n()), r)),
            r -> yaml(base(n()).replace("0.1", pick(r, "-1", "1e400", "NaN", ".inf", "[]", "{}", "\"x\"", "null",
                    "99999999999999999999999999"))),
            r -> yaml(base(n()).replace("grid", pick(r, "bayes", "random", "", "GRID", "hyperband", "[grid]"))),
            r -> yaml(base(n()).replace("python:3.12-slim", "x".repeat(1 + r.nextInt(200_000)))),
            r -> yaml(base(n()) + "max_trials: " + pick(r, "0", "-5", "1000000000", "1.5", "\"ten\"") + "\n"),
            r -> yaml(base(n()) + "parallelism: " + pick(r, "0", "-1", "9999999999", "true") + "\n"),
            r -> yaml("a: &a [" + "x, ".repeat(9) + "x]\n" + aliasBomb(4 + r.nextInt(6)) + base(n())),
            r -> yaml("x: " + "[".repeat(50 + r.nextInt(5000)) + "\n" + base(n())),
            r -> yaml(base(n()).replace("name: ", "name: " + controlChars(r))),
            r -> yaml(base(n()).replace("lr:", pick(r, "\"\":", "'\\u0000':", "a.b.c:", "${x}:", "--lr:",
                    "\"" + "k".repeat(5000) + "\":"))),
            r -> yaml(base(n()) + "env:\n  " + pick(r, "A: [1]", "\"\": x", "REPRISE_RUN_ID: 1", "PATH: {a: b}",
                    "X: " + "v".repeat(100_000)) + "\n"),
            r -> yaml(base(n()) + "resources:\n  gpu: " + pick(r, "-1", "1000", "a100", "{count: -2}") + "\n"),
            r -> yaml(base(n()) + "queue: " + pick(r, "nope", "", "../etc", "\"q\\u0000\"") + "\n"),
            r -> yaml(base(n()) + "data:\n  snapshot: " + pick(r, "missing", "sha256:zz", "../../x", "\"\"") + "\n"),
            r -> yaml(base(n()) + "parameters:\n  extra: {values: [1]}\n"),
            r -> yaml(base(n()).replace("values: [0.1, 0.01]", "values: [" + "1, ".repeat(r.nextInt(50_000))
                    + "1]")),
            r -> yaml(base(n()).replace("values: [1, 2]", "{min: 5, max: 1, distribution: "
                    + pick(r, "uniform", "log_uniform", "q_normal", "nope") + "}")),
            r -> yaml("--- !!python/object/apply:os.system ['echo pwned']\n" + base(n())),
            r -> yaml("%YAML 9.9\n" + base(n())),
            r -> yaml(randomText(r, 1 + r.nextInt(4000))),
            r -> yaml(base(n()) + "\t" + randomText(r, 20)),
            r -> json("{\"name\":\"" + n() + "\",\"project\":\"fuzz\",\"image\":\"i\",\"program\":\"p\","
                    + "\"method\":\"grid\",\"parameters\":" + "{\"a\":".repeat(10 + r.nextInt(3000)) + "1"),
            r -> json("{\"name\":\"" + n() + "\",\"parameters\":{\"x\":{\"values\":[" + "1e999999,".repeat(3)
                    + "1]}},\"image\":\"i\",\"program\":\"p\"}"),
            r -> json(pick(r, "[]", "null", "42", "\"str\"", "{", "{\"name\": }", "\u0000")),
            r -> json("{\"name\":\"" + "n".repeat(10 + r.nextInt(600_000)) + "\"}"),
            r -> new String[] {"text/plain", base(n())},
            r -> new String[] {"application/yaml", "x: " + "y".repeat(1_100_000)});

    private static String n() {
        return "fz-" + UUID.randomUUID().toString().substring(0, 12);
    }

    private static String[] yaml(String body) {
        return new String[] {"application/yaml", body};
    }

    private static String[] json(String body) {
        return new String[] {"application/json", body};
    }

    private static String pick(Random r, String... options) {
        return options[r.nextInt(options.length)];
    }

    private static String dropLine(String text, Random r) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n")));
        lines.remove(r.nextInt(lines.size()));
        return String.join("\n", lines) + "\n";
    }

    private static String aliasBomb(int levels) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            String prev = i == 0 ? "a" : "l" + (i - 1);
            sb.append("l").append(i).append(": &l").append(i).append(" [").append(("*" + prev + ", ").repeat(9))
                    .append("*").append(prev).append("]\n");
        }
        return sb.toString();
    }

    private static String controlChars(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            sb.append((char) r.nextInt(0x20));
        }
        return "\"" + sb.toString().replace("\"", "").replace("\\", "") + "\"";
    }

    private static String randomText(Random r, int length) {
        StringBuilder sb = new StringBuilder();
        String alphabet = "ab:- \n\t[]{}&*!|>'\"#%@`,?0123456789.";
        for (int i = 0; i < length; i++) {
            sb.append(r.nextInt(10) == 0 ? (char) r.nextInt(0xD7FF) : alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    @Test
    void neverAnswersHostileSweepDocumentsWithAServerErrorOrAPartialWrite() throws Exception {
        Random random = new Random(SEED);
        long[] before = counts();
        int stored = 0;
        SoftAssertions soft = new SoftAssertions();
        for (int i = 0; i < SWEEP_CASES; i++) {
            int shape = i % MUTATIONS.size();
            String[] request = MUTATIONS.get(shape).apply(random);
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server + "api/v1/sweeps"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", TestCredentials.adminBearer())
                    .header("Content-Type", request[0])
                    .POST(HttpRequest.BodyPublishers.ofString(request[1], StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 201) {
                stored++;
                continue;
            }
            soft.assertThat(r.statusCode()).as("case %d (shape %d, seed %d): %s", i, shape, SEED,
                    abbreviate(r.body())).isIn(CLIENT_ERRORS);
            soft.assertThat(r.headers().firstValue("Content-Type").orElse(""))
                    .as("case %d (shape %d) answers a problem document", i, shape)
                    .startsWith("application/problem+json");
        }
        soft.assertAll();
        long[] after = counts();
        assertThat(after[1] - before[1]).as("sweeps written: only the accepted ones").isEqualTo(stored);
        assertThat(after[3] - before[3]).as("audit entries: only for the accepted ones").isEqualTo(stored);
        assertThat(stored).as("most hostile documents are refused").isLessThan(SWEEP_CASES / 2);
    }

    @Test
    void keepsIngestingAfterHostileAgentMessagesAndStoresNoneOfThem() throws Exception {
        String yaml = base(n()).replace("project: fuzz", "project: fuzz-ingest");
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(server + "api/v1/sweeps"))
                .header("Authorization", TestCredentials.adminBearer()).header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(yaml)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long sweep = Long.parseLong(created.body().replaceAll("(?s)^\\{\"id\":(\\d+).*", "$1"));
        long run = query("select min(id) from runs where sweep_id = " + sweep);
        String token = TestCredentials.runToken(run, 0);
        Random random = new Random(SEED);
        MessageCodec codec = new MessageCodec();
        // a hostile agent: the agents' credential, which any trial can read from its agent
        java.util.Properties p = dev.reprise.orchestrator.messaging.KafkaTestCredentials.agent();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < MESSAGE_CASES; i++) {
                String topic = random.nextBoolean() ? Topics.METRICS : Topics.RUN_EVENTS;
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic,
                        Topics.key(run).getBytes(StandardCharsets.UTF_8), hostileMessage(random, run));
                record.headers().add("reprise-run-token", token.getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
            ProducerRecord<byte[], byte[]> good = new ProducerRecord<>(Topics.METRICS,
                    Topics.key(run).getBytes(StandardCharsets.UTF_8), codec.encode(new MetricBatch(run, 0, "fuzz", 0,
                            List.of(new dev.reprise.api.messages.MetricPoint("sentinel", 0,
                                    System.currentTimeMillis(), 1.0, 0)))));
            good.headers().add("reprise-run-token", token.getBytes(StandardCharsets.UTF_8));
            producer.send(good).get();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> query(
                "select count(*) from metric_points p join metric_keys k on k.id = p.key_id where p.run_id = " + run
                        + " and k.name = 'sentinel'") == 1);
        assertThat(query("select count(*) from metric_points where run_id = " + run)).as("only the sentinel")
                .isEqualTo(1);
        assertThat(query("select count(*) from run_logs where run_id = " + run)).isZero();
    }

    /** A message that must be refused whole: not JSON, the wrong shape, or values the contract forbids. */
    private static byte[] hostileMessage(Random r, long run) {
        String s = switch (r.nextInt(8)) {
            case 0 -> randomText(r, r.nextInt(3000));
            case 1 -> "{\"runId\":" + run + ",\"attempt\":-1,\"agentId\":\"a\",\"batchSeq\":0,\"points\":[]}";
            case 2 -> "{\"runId\":" + run + ",\"attempt\":0,\"points\":" + "[".repeat(2000 + r.nextInt(5000));
            case 3 -> "{\"type\":\"log_chunk\",\"runId\":" + run + ",\"attempt\":0,\"seq\":-3,\"stream\":\"STDOUT\","
                    + "\"firstLine\":0,\"lines\":[\"x\"]}";
            case 4 -> "{\"type\":\"heartbeat\",\"runId\":" + run + ",\"attempt\":0,\"seq\":1,\"atMillis\":"
                    + pick(r, "-99999999999999", "9223372036854775807") + ",\"cpuSeconds\":1,\"rssBytes\":1,"
                    + "\"processCount\":1,\"gpus\":[]}";
            case 5 -> "{\"runId\":\"" + run + "\",\"attempt\":\"zero\",\"agentId\":null,\"points\":{}}";
            case 6 -> "{\"type\":\"" + "t".repeat(r.nextInt(10_000)) + "\",\"runId\":" + run + "}";
            default -> "\u0000\u0001\u0002" + "{".repeat(r.nextInt(100));
        };
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private long[] counts() throws SQLException {
        return new long[] {query("select count(*) from projects"), query("select count(*) from sweeps"),
            query("select count(*) from runs"), query("select count(*) from audit_log where action = 'sweep.submit'")};
    }

    private long query(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
