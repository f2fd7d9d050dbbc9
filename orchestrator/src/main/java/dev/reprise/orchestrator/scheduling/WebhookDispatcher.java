package dev.reprise.orchestrator.scheduling;

import dev.reprise.orchestrator.domain.notify.DeliveryBackoff;
import dev.reprise.orchestrator.domain.notify.EventType;
import dev.reprise.orchestrator.domain.notify.SlackMessage;
import dev.reprise.orchestrator.security.WebhookSignature;
import dev.reprise.orchestrator.domain.security.SecretRedactor;
import dev.reprise.orchestrator.persistence.CanonicalJson;
import dev.reprise.orchestrator.persistence.WebhookStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Sends the outbox's due deliveries on its own threads, never the scheduler's: at most {@code workers} in flight,
 * each bounded by the connect and read timeouts; a failed attempt is due again after an exponential backoff, and a
 * delivery whose attempts ran out is marked FAILED (listed by the API). Every body is signed
 * ({@link WebhookSignature}). Claims are leased in the database, so replicas share the work and a crash mid-send only
 * delays a delivery.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    private static final int MAX_ERROR = 500;

    private final WebhookConfig config;
    private final WebhookStore store;
    private final MeterRegistry registry;
    private final DeliveryBackoff backoff;
    private final Semaphore slots;
    private final Object wake = new Object();
    private HttpClient client;
    private ExecutorService senders;
    private Thread loop;
    private volatile boolean running;

    public WebhookDispatcher(WebhookConfig config, WebhookStore store, MeterRegistry registry) {
        this.config = config;
        this.store = store;
        this.registry = registry;
        this.backoff = new DeliveryBackoff(config.firstRetryDelay(), config.maxRetryDelay(), config.maxAttempts());
        this.slots = new Semaphore(Math.max(1, config.workers()));
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("webhook deliveries off (reprise.webhooks.enabled=false): events are recorded only");
            return;
        }
        senders = java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, config.workers()), r -> {
            Thread t = new Thread(r, "reprise-webhook-sender");
            t.setDaemon(true);
            return t;
        });
        client = HttpClient.newBuilder().connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
        running = true;
        loop = new Thread(this::loop, "reprise-webhooks");
        loop.setDaemon(true);
        loop.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        if (loop != null) {
            loop.interrupt();
        }
        if (senders != null) {
            senders.shutdownNow();
        }
    }

    /** Deliveries being sent right now. */
    public int inFlight() {
        return Math.max(1, config.workers()) - slots.availablePermits();
    }

    private void loop() {
        Duration lease = config.connectTimeout().plus(config.readTimeout()).plusSeconds(30);
        while (running) {
            try {
                int free = slots.availablePermits();
                List<WebhookStore.Due> due = free == 0 ? List.of() : store.claimDue(free, lease);
                for (WebhookStore.Due d : due) {
                    slots.acquire();
                    senders.execute(() -> {
                        try {
                            send(d);
                        } finally {
                            slots.release();
                        }
                    });
                }
                if (due.isEmpty() || slots.availablePermits() == 0) {
                    synchronized (wake) {
                        wake.wait(config.pollInterval().toMillis());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf("webhook worker: %s; trying again in %s", e.getMessage(), config.pollInterval());
                try {
                    Thread.sleep(config.pollInterval().toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The request body of a delivery: the event as stored, or its Slack-compatible message. */
    static byte[] body(WebhookStore.Due d) {
        if ("slack".equals(d.format())) {
            @SuppressWarnings("unchecked")
            Map<String, Object> event = CanonicalJson.read(d.payload(), Map.class);
            EventType type = EventType.fromWireName(d.type()).orElseThrow();
            return CanonicalJson.write(SlackMessage.of(type, event)).getBytes(StandardCharsets.UTF_8);
        }
        return d.payload().getBytes(StandardCharsets.UTF_8);
    }

    private void send(WebhookStore.Due d) {
        Integer status = null;
        String error;
        try {
            byte[] body = body(d);
            HttpRequest request = HttpRequest.newBuilder(URI.create(d.url())).timeout(config.readTimeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Reprise-Webhooks")
                    .header("X-Reprise-Event", d.type())
                    .header("X-Reprise-Event-Id", Long.toString(d.eventId()))
                    .header("X-Reprise-Delivery", Long.toString(d.id()))
                    .header(WebhookSignature.HEADER, WebhookSignature.sign(d.secret(), body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            CompletableFuture<HttpResponse<Void>> call = client.sendAsync(request,
                    HttpResponse.BodyHandlers.discarding());
            HttpResponse<Void> response;
            try {
                // the request timeout covers the headers; this bounds the body too
                response = call.get(config.connectTimeout().plus(config.readTimeout()).toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                call.cancel(true);
                throw e;
            }
            status = response.statusCode();
            if (status >= 200 && status < 300) {
                store.delivered(d.id(), status);
                registry.counter("reprise.webhook.deliveries", "outcome", "delivered").increment();
                return;
            }
            error = "the receiver answered HTTP " + status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (TimeoutException e) {
            error = "no answer within " + config.connectTimeout().plus(config.readTimeout());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            error = cause instanceof java.net.http.HttpTimeoutException ? "no answer within "
                    + config.readTimeout() : cause instanceof java.net.ConnectException
                            ? "could not connect to the receiver" : cause.getClass().getSimpleName() + ": "
                                    + cause.getMessage();
        } catch (RuntimeException e) {
            error = e.getMessage();
        }
        error = SecretRedactor.redact(error == null ? "unknown error" : error);
        if (error.length() > MAX_ERROR) {
            error = error.substring(0, MAX_ERROR);
        }
        boolean retry = backoff.retriesAfter(d.attempt());
        try {
            store.attemptFailed(d.id(), status, error, retry ? Instant.now().plus(backoff.delayAfter(d.attempt()))
                    : null);
        } catch (RuntimeException e) {
            LOG.warnf("could not record attempt %s of webhook delivery %s (%s); it is due again after its lease",
                    d.attempt(), d.id(), e.getMessage());
            return;
        }
        registry.counter("reprise.webhook.deliveries", "outcome", retry ? "retried" : "failed").increment();
        if (!retry) {
            LOG.warnf("webhook delivery %s (%s, webhook %s) failed after %s attempts: %s", d.id(), d.type(),
                    d.webhookId(), d.attempt(), error);
        }
    }
}
