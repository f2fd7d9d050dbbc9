package dev.reprise.agent.report;

import dev.reprise.api.messages.RunHeaders;
import dev.reprise.api.trial.KafkaCredential;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * An idempotent, lz4-compressing Kafka producer keyed by run id. Every record carries the run token in the
 * {@value RunHeaders#RUN_TOKEN} header: the orchestrator dead-letters reports without their run attempt's token. A
 * distributed trial's agent also sets {@value RunHeaders#RANK} on every record.
 */
final class KafkaTransport implements Transport {

    private final String bootstrap;
    private final Producer<String, byte[]> producer;
    private final byte[] runToken;
    /** The {@value RunHeaders#RANK} header of a distributed trial's rank; null for an ordinary trial. */
    private final byte[] rank;

    KafkaTransport(String bootstrap, String clientId, Optional<String> runToken) {
        this(bootstrap, clientId, runToken, Optional.empty());
    }

    KafkaTransport(String bootstrap, String clientId, Optional<String> runToken,
            Optional<KafkaCredential> credential) {
        this(bootstrap, clientId, runToken, credential, java.util.OptionalInt.empty());
    }

    /**
     * @param credential the agents' SASL credential (write-only on the report topics), when the broker wants one
     * @param rank       this agent's node rank in a distributed trial: every record carries it
     */
    KafkaTransport(String bootstrap, String clientId, Optional<String> runToken,
            Optional<KafkaCredential> credential, java.util.OptionalInt rank) {
        this.bootstrap = bootstrap;
        this.rank = rank.isPresent() ? RunHeaders.rankValue(rank.getAsInt()) : null;
        this.runToken = runToken.map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
        this.producer = new KafkaProducer<>(config(bootstrap, clientId, credential), new StringSerializer(),
                new ByteArraySerializer());
    }

    static Properties config(String bootstrap, String clientId) {
        return config(bootstrap, clientId, Optional.empty());
    }

    static Properties config(String bootstrap, String clientId, Optional<KafkaCredential> credential) {
        Properties p = new Properties();
        credential.ifPresent(c -> p.putAll(c.clientConfig()));
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(16L * 1024 * 1024));
        // Only the sender thread blocks here; a short bound lets it notice an unreachable broker and back off.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "3000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "5000");
        return p;
    }

    @Override
    public void send(Envelope e, Consumer<Exception> done) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(e.topic(), e.key(), e.value());
        if (runToken != null) {
            record.headers().add(RunHeaders.RUN_TOKEN, runToken);
        }
        if (rank != null) {
            record.headers().add(RunHeaders.RANK, rank);
        }
        producer.send(record, (metadata, ex) -> done.accept(ex));
    }

    @Override
    public void close(Duration timeout) {
        producer.close(timeout);
    }

    @Override
    public String describe() {
        return "Kafka at " + bootstrap;
    }
}
