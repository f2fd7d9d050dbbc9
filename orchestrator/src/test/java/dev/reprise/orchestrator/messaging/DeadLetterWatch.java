package dev.reprise.orchestrator.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a dead-letter topic from "now" on, to see what the ingest refused. */
final class DeadLetterWatch implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();

    DeadLetterWatch(String topic) {
        Properties admin = KafkaTestCredentials.orchestrator();
        try (Admin a = Admin.create(admin)) {
            a.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Properties p = KafkaTestCredentials.orchestrator();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    /** Dead letters seen so far whose record key is {@code key}, after one more poll. */
    List<ConsumerRecord<byte[], byte[]>> withKey(String key) {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        return seen.stream().filter(r -> r.key() != null && key.equals(new String(r.key(), StandardCharsets.UTF_8)))
                .toList();
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader("reprise-dead-letter-" + name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The distinct original positions (topic-partition@offset) of the dead letters. */
    static java.util.Set<String> origins(List<ConsumerRecord<byte[], byte[]>> letters) {
        return letters.stream().map(r -> header(r, "topic") + "-" + header(r, "partition") + "@" + header(r, "offset"))
                .collect(java.util.stream.Collectors.toSet());
    }

    static Map<String, String> headers(ConsumerRecord<byte[], byte[]> r) {
        return Map.of("reason", String.valueOf(header(r, "reason")), "kind", String.valueOf(header(r, "kind")));
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
