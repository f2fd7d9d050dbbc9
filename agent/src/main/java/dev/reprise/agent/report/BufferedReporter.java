package dev.reprise.agent.report;

import dev.reprise.agent.AgentLog;
import dev.reprise.api.messages.MessageCodec;
import dev.reprise.api.messages.MetricBatch;
import dev.reprise.api.messages.RunEvent;
import dev.reprise.api.messages.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Reporter} that encodes messages into an {@link Outbox} and lets one background thread hand them to a
 * {@link Transport}. A failed envelope goes back to the head of the outbox and the thread backs off (0.1 s doubling
 * to 5 s); callers never wait. Delivery is at least once.
 */
public final class BufferedReporter implements Reporter {

    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final MessageCodec codec = new MessageCodec();
    private final Transport transport;
    private final Outbox outbox;
    private final AgentLog log;
    private final Thread sender;
    private final AtomicLong delivered = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean failing;
    private volatile long backoffMillis;

    BufferedReporter(Transport transport, Outbox outbox, AgentLog log) {
        this.transport = transport;
        this.outbox = outbox;
        this.log = log;
        this.sender = new Thread(this::sendLoop, "reprise-agent-sender");
        sender.setDaemon(true);
        sender.start();
    }

    /** A Kafka reporter buffering up to {@code memoryBytes} in memory, then up to {@code spillBytes} in the work dir. */
    public static BufferedReporter kafka(String bootstrap, String clientId, Path workDir, long memoryBytes,
                                         long spillBytes, java.util.Optional<String> runToken, AgentLog log) {
        return kafka(bootstrap, clientId, workDir, memoryBytes, spillBytes, runToken, java.util.Optional.empty(), log);
    }

    public static BufferedReporter kafka(String bootstrap, String clientId, Path workDir, long memoryBytes,
            long spillBytes, java.util.Optional<String> runToken,
            java.util.Optional<dev.reprise.api.trial.KafkaCredential> credential, AgentLog log) {
        return kafka(bootstrap, clientId, workDir, memoryBytes, spillBytes, runToken, credential,
                java.util.OptionalInt.empty(), log);
    }

    /** A reporter whose every record carries {@code rank} (a distributed trial's node rank), when present. */
    public static BufferedReporter kafka(String bootstrap, String clientId, Path workDir, long memoryBytes,
            long spillBytes, java.util.Optional<String> runToken,
            java.util.Optional<dev.reprise.api.trial.KafkaCredential> credential, java.util.OptionalInt rank,
            AgentLog log) {
        Outbox outbox = new Outbox(memoryBytes, workDir.resolve("outbox.spill"), spillBytes);
        return new BufferedReporter(new KafkaTransport(bootstrap, clientId, runToken, credential, rank), outbox, log);
    }

    @Override
    public void metrics(MetricBatch batch) {
        offer(new Envelope(Topics.METRICS, Topics.key(batch.runId()), codec.encode(batch)));
    }

    @Override
    public void event(RunEvent event) {
        offer(new Envelope(Topics.RUN_EVENTS, Topics.key(event.runId()), codec.encode(event)));
    }

    private void offer(Envelope e) {
        if (!outbox.offer(e)) {
            log.warnOnce("dropped", "report buffer and spill file are full: dropping messages until "
                    + transport.describe() + " takes them again");
        }
    }

    @Override
    public boolean flush(Duration timeout) {
        try {
            return outbox.awaitIdle(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public long dropped() {
        return outbox.dropped();
    }

    @Override
    public void close() {
        running = false;
        sender.interrupt();
        long undelivered = outbox.pending();
        transport.close(Duration.ZERO);
        if (undelivered > 0 || outbox.dropped() > 0) {
            log.warn(undelivered + " message(s) not delivered to " + transport.describe()
                    + (outbox.dropped() > 0 ? ", " + outbox.dropped() + " dropped for lack of buffer space" : ""));
        }
        outbox.close();
    }

    /** Messages delivered so far. */
    public long delivered() {
        return delivered.get();
    }

    /** Messages that went through the spill file so far. */
    public long spilled() {
        return outbox.spilledTotal();
    }

    private void sendLoop() {
        while (running) {
            try {
                if (failing && backoffMillis > 0) {
                    Thread.sleep(backoffMillis);
                }
                Envelope e = outbox.poll(200, TimeUnit.MILLISECONDS);
                if (e != null) {
                    try {
                        transport.send(e, ex -> completed(e, ex));
                    } catch (RuntimeException ex) {
                        completed(e, ex);
                    }
                }
            } catch (InterruptedException ie) {
                return;
            }
        }
    }

    private void completed(Envelope e, Exception ex) {
        if (ex == null) {
            outbox.delivered();
            delivered.incrementAndGet();
            backoffMillis = 0;
            if (failing) {
                failing = false;
                log.warn("delivering to " + transport.describe() + " again");
            }
        } else {
            outbox.retry(e);
            backoffMillis = Math.min(MAX_BACKOFF_MILLIS, Math.max(100, backoffMillis * 2));
            if (!failing && running) {
                failing = true;
                log.warn("cannot deliver to " + transport.describe() + " (" + ex.getMessage()
                        + "); buffering and retrying in the background");
            }
        }
    }
}
