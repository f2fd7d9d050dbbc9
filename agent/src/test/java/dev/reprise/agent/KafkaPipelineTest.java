package dev.reprise.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.reprise.api.messages.MessageCodec;
import dev.reprise.api.messages.MetricBatch;
import dev.reprise.api.messages.MetricPoint;
import dev.reprise.api.messages.RunEvent;
import dev.reprise.api.messages.StopReason;
import dev.reprise.api.messages.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent JVM, a real training process and the real broker started by {@code scripts/services.sh}
 * ({@code REPRISE_KAFKA_BOOTSTRAP}, default 127.0.0.1:19092). Fails when the broker is not there.
 */
class KafkaPipelineTest {

    static final String BOOTSTRAP = System.getenv().getOrDefault("REPRISE_KAFKA_BOOTSTRAP", "127.0.0.1:19092");
    private static final int LINES = 10_000;

    @TempDir
    Path dir;

    private final MessageCodec codec = new MessageCodec();

    @BeforeAll
    static void brokerIsReachable() throws Exception {
        Properties p = BrokerCredentials.orchestrator();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster().nodes().get(15, TimeUnit.SECONDS);
            for (String topic : List.of(Topics.METRICS, Topics.RUN_EVENTS)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(15, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (Exception e) {
            fail("Kafka broker not reachable at " + BOOTSTRAP + " (start it with scripts/services.sh): " + e, e);
        }
    }

    @Test
    void deliversEveryPrintedPointWithItsIdentityThroughTheBroker() throws Exception {
        long runId = System.currentTimeMillis() * 1000 + (UUID.randomUUID().hashCode() & 0x3ff);
        Path output = writeTrainingOutput();
        Set<String> expected = expectedIdentities();
        String script = "cat '" + output + "'; "
                + "printf '{\"step\": 0, \"file_metric\": 1}\\n{\"step\": 1, \"file_metric\": 2}'"
                + " >> \"$REPRISE_METRICS_FILE\"; exit 0";

        AgentProcess agent = AgentProcess.start(dir, "--run-id", Long.toString(runId), "--attempt", "2",
                "--kafka-bootstrap", BOOTSTRAP, "--heartbeat-interval", "200ms", "--", "sh", "-c", script);
        int code = agent.waitFor(Duration.ofSeconds(90));
        Duration agentTime = agent.elapsed();

        assertThat(code).as(agent.stderr()).isZero();
        assertThat(agent.stdout().lines().count()).isEqualTo(2L * LINES);
        Received received = consume(runId, expected.size());
        assertThat(received.identities.keySet()).as("the agent's log:\n" + agent.stderr())
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(received.seqs).hasSize(expected.size());
        assertThat(received.seqs).allMatch(s -> s >= 0 && s < expected.size());
        assertThat(received.finished).isNotNull();
        assertThat(received.finished.reason()).isEqualTo(StopReason.COMPLETED);
        assertThat(received.started).isNotNull();
        assertThat(received.started.attempt()).isEqualTo(2);
        double pointsPerSecond = expected.size() / (agentTime.toMillis() / 1000.0);
        System.out.printf("agent: %d points in %d ms, %.0f points/s end to end (JVM start included)%n",
                expected.size(), agentTime.toMillis(), pointsPerSecond);
    }

    @Test
    void aDistributedTrialsRankOtherThanZeroReportsUnderItsRankButNoMetrics() throws Exception {
        long runId = System.currentTimeMillis() * 1000 + (UUID.randomUUID().hashCode() & 0x3ff);
        AgentProcess agent = AgentProcess.start(dir, Map.of("REPRISE_NNODES", "2", "REPRISE_NODE_RANK", "1"),
                "--run-id", Long.toString(runId), "--attempt", "0", "--kafka-bootstrap", BOOTSTRAP,
                "--heartbeat-interval", "200ms", "--", "sh", "-c",
                "echo 'step=1 loss=0.5'; echo '{\"step\": 2, \"loss\": 0.25}'; sleep 1; exit 3");
        assertThat(agent.waitFor(Duration.ofSeconds(90))).as(agent.stderr()).isEqualTo(3);

        List<ConsumerRecord<String, byte[]>> records = new java.util.ArrayList<>();
        Properties p = BrokerCredentials.orchestrator();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reprise-agent-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        boolean finished = false;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.METRICS, Topics.RUN_EVENTS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!finished && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (Topics.key(runId).equals(r.key())) {
                        records.add(r);
                        finished |= r.topic().equals(Topics.RUN_EVENTS)
                                && codec.decodeRunEvent(r.value()) instanceof RunEvent.Finished;
                    }
                }
            }
        }
        assertThat(finished).as(agent.stderr()).isTrue();
        assertThat(records).allSatisfy(r -> assertThat(new String(r.headers().lastHeader(
                dev.reprise.api.messages.RunHeaders.RANK).value(), StandardCharsets.UTF_8)).isEqualTo("1"));
        assertThat(records).as("rank 0's metrics are the run's: rank 1 sends none")
                .noneMatch(r -> r.topic().equals(Topics.METRICS));
        List<RunEvent> events = records.stream().map(r -> codec.decodeRunEvent(r.value())).toList();
        assertThat(events).filteredOn(e -> e instanceof RunEvent.LogChunk)
                .flatExtracting(e -> ((RunEvent.LogChunk) e).lines())
                .as("its metric lines stay in its log").contains("step=1 loss=0.5");
        assertThat(events).filteredOn(e -> e instanceof RunEvent.Finished).singleElement()
                .satisfies(e -> assertThat(((RunEvent.Finished) e).exitCode()).isEqualTo(3));
        assertThat(events).anyMatch(e -> e instanceof RunEvent.Started);
    }

    /** {@value #LINES} JSON lines and as many key=value lines, five metrics each. */
    private Path writeTrainingOutput() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            sb.append("{\"step\": ").append(i).append(", \"j0\": 0.5, \"j1\": ").append(i * 0.001)
                    .append(", \"j2\": NaN, \"j3\": 1e-5, \"j4\": -2}\n");
            sb.append("step=").append(i).append(" k0=0.5 k1=").append(i).append(" k2=inf k3=3 k4=-1.5\n");
        }
        return Files.writeString(dir.resolve("output.txt"), sb.toString(), StandardCharsets.UTF_8);
    }

    private static Set<String> expectedIdentities() {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < LINES; i++) {
            for (int m = 0; m < 5; m++) {
                expected.add("j" + m + "@" + i);
                expected.add("k" + m + "@" + i);
            }
        }
        expected.add("file_metric@0");
        expected.add("file_metric@1");
        return expected;
    }

    private Received consume(long runId, int expectedPoints) {
        Properties p = BrokerCredentials.orchestrator();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reprise-agent-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        Received received = new Received();
        String key = Topics.key(runId);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.METRICS, Topics.RUN_EVENTS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((received.identities.size() < expectedPoints || received.finished == null)
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(r.key())) {
                        received.add(r.topic(), r.value(), codec);
                    }
                }
            }
        }
        return received;
    }

    /** What came back for one run, de-duplicated by point identity as the orchestrator will. */
    private static final class Received {
        final Map<String, Long> identities = new ConcurrentHashMap<>();
        final Set<Long> seqs = new HashSet<>();
        RunEvent.Started started;
        RunEvent.Finished finished;

        void add(String topic, byte[] value, MessageCodec codec) {
            if (topic.equals(Topics.METRICS)) {
                MetricBatch batch = codec.decodeMetricBatch(value);
                for (MetricPoint point : batch.points()) {
                    identities.put(point.key() + "@" + point.step(), point.seq());
                    seqs.add(point.seq());
                }
            } else {
                RunEvent event = codec.decodeRunEvent(value);
                if (event instanceof RunEvent.Started s) {
                    started = s;
                } else if (event instanceof RunEvent.Finished f) {
                    finished = f;
                }
            }
        }
    }
}
