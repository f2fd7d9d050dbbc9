package dev.reprise.orchestrator.messaging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes refused records, unchanged (key, value, headers; only the run token is dropped), to
 * {@code TOPIC + suffix} with headers that say why and where they came from: {@code reprise-dead-letter-reason},
 * {@code -kind}, {@code -topic}, {@code -partition}, {@code -offset}. The producer is idempotent with
 * {@code acks=all}; {@link #publish} returns only when every letter is acknowledged, so offsets are committed after
 * the letters are safe.
 */
class DeadLetters implements AutoCloseable {

    static final String HEADER_PREFIX = "reprise-dead-letter-";

    private final KafkaClients kafka;
    private final String suffix;
    private Producer<byte[], byte[]> producer;

    DeadLetters(KafkaClients kafka, String suffix) {
        this.kafka = kafka;
        this.suffix = suffix;
    }

    /** Sends all letters and waits for their acknowledgements; throws when any could not be stored. */
    void publish(List<DeadLetter> letters) throws DeliveryException {
        if (letters.isEmpty()) {
            return;
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try {
            for (DeadLetter letter : letters) {
                var in = letter.record();
                ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(in.topic() + suffix, null, in.key(),
                        in.value(), new RecordHeaders(in.headers().toArray()));
                // the run token is a credential: it does not travel on to whoever reads the dead letters
                out.headers().remove(dev.reprise.api.messages.RunHeaders.RUN_TOKEN);
                out.headers().add(HEADER_PREFIX + "reason", utf8(letter.reason()))
                        .add(HEADER_PREFIX + "kind", utf8(letter.kind().tag()))
                        .add(HEADER_PREFIX + "topic", utf8(in.topic()))
                        .add(HEADER_PREFIX + "partition", utf8(Integer.toString(in.partition())))
                        .add(HEADER_PREFIX + "offset", utf8(Long.toString(in.offset())));
                sent.add(producer().send(out));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw new DeliveryException("dead letters not acknowledged: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted while publishing dead letters", e);
        }
    }

    private Producer<byte[], byte[]> producer() {
        if (producer == null) {
            Properties p = kafka.base();
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "reprise-ingest-dead-letters");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
            producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }

    /** The letters may not be stored: the batch must be tried again. */
    static final class DeliveryException extends Exception {
        private static final long serialVersionUID = 1L;

        DeliveryException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
