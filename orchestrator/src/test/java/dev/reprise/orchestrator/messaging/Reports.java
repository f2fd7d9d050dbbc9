package dev.reprise.orchestrator.messaging;

import dev.reprise.api.messages.MessageCodec;
import dev.reprise.api.messages.MetricBatch;
import dev.reprise.api.messages.MetricPoint;
import dev.reprise.api.messages.RunEvent;
import dev.reprise.api.messages.Topics;
import dev.reprise.orchestrator.security.TestCredentials;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/** Sends agent reports straight to Kafka, as an agent would (or as a broken one might). */
public final class Reports implements AutoCloseable {

    private final MessageCodec codec = new MessageCodec();
    private final KafkaProducer<byte[], byte[]> producer;

    /** A producer with the agents' credential (write-only on the report topics), as an agent's. */
    public Reports() {
        this(KafkaTestCredentials.agent());
    }

    /** A producer with these client settings (bootstrap servers and credential). */
    public Reports(Properties client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    public static MetricPoint point(String key, long step, double value, long seq) {
        return new MetricPoint(key, step, System.currentTimeMillis(), value, seq);
    }

    public void send(MetricBatch batch) {
        send(Topics.METRICS, Topics.key(batch.runId()), codec.encode(batch));
    }

    public void send(RunEvent event) {
        send(Topics.RUN_EVENTS, Topics.key(event.runId()), codec.encode(event));
    }

    public void batch(long runId, int attempt, long batchSeq, List<MetricPoint> points) {
        send(new MetricBatch(runId, attempt, "test-agent", batchSeq, points));
    }

    /**
     * Any bytes under any key, acknowledged before this returns. When the bytes are a report, the record carries the
     * run token of its run attempt, as a real agent's do.
     */
    public void send(String topic, String key, byte[] value) {
        send(topic, key, value, tokenFor(topic, value));
    }

    /** An event as the agent of rank {@code rank} of a distributed trial reports it (header reprise-rank). */
    public void send(RunEvent event, int rank) {
        byte[] value = codec.encode(event);
        send(Topics.RUN_EVENTS, Topics.key(event.runId()), value, tokenFor(Topics.RUN_EVENTS, value),
                dev.reprise.api.messages.RunHeaders.rankValue(rank));
    }

    /** A metric batch under the rank header {@code rank}. */
    public void send(MetricBatch batch, int rank) {
        byte[] value = codec.encode(batch);
        send(Topics.METRICS, Topics.key(batch.runId()), value, tokenFor(Topics.METRICS, value),
                dev.reprise.api.messages.RunHeaders.rankValue(rank));
    }

    /** A record with exactly this run token header (null: none), for tests of the token check. */
    public void send(String topic, String key, byte[] value, String runToken) {
        send(topic, key, value, runToken, null);
    }

    /** A record with this run token and rank header (null: none). */
    public void send(String topic, String key, byte[] value, String runToken, byte[] rank) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key == null ? null
                : key.getBytes(java.nio.charset.StandardCharsets.UTF_8), value);
        if (runToken != null) {
            record.headers().add(dev.reprise.api.messages.RunHeaders.RUN_TOKEN,
                    runToken.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (rank != null) {
            record.headers().add(dev.reprise.api.messages.RunHeaders.RANK, rank);
        }
        try {
            producer.send(record).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private String tokenFor(String topic, byte[] value) {
        try {
            if (Topics.METRICS.equals(topic)) {
                MetricBatch b = codec.decodeMetricBatch(value);
                return TestCredentials.runToken(b.runId(), b.attempt());
            }
            RunEvent e = codec.decodeRunEvent(value);
            return TestCredentials.runToken(e.runId(), e.attempt());
        } catch (RuntimeException notAReport) {
            return null;
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
