package dev.reprise.orchestrator.api.filters;

import dev.reprise.orchestrator.api.problem.EdgeProblems;
import dev.reprise.orchestrator.domain.error.ProblemType;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Keeps slow clients from holding the server: a request body must arrive completely within
 * {@code reprise.http.body-timeout} (else 408 and the connection is closed), and at most
 * {@code reprise.http.max-waiting-bodies} requests may be waiting for their bodies at once (more answer 503 with
 * Retry-After at once, before reading anything). The body is read on the event loop before the REST layer sees the
 * request, so no worker thread waits for a slow client; with the idle timeout, 200 connections trickling a byte at
 * a time cannot keep {@code /q/health/ready} or any other endpoint from answering.
 */
@ApplicationScoped
public class SlowBodyGuard {

    private static final long CHECK_MILLIS = 100;

    private final Vertx vertx;
    private final io.vertx.ext.web.handler.BodyHandler bodies;
    private final long timeoutMillis;
    private final int maxWaiting;
    private final AtomicInteger waiting = new AtomicInteger();

    public SlowBodyGuard(Vertx vertx,
            @ConfigProperty(name = "reprise.http.body-timeout", defaultValue = "10s") Duration timeout,
            @ConfigProperty(name = "reprise.http.max-waiting-bodies", defaultValue = "64") int maxWaiting,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") io.quarkus.runtime.configuration.MemorySize
                    limit) {
        this.vertx = vertx;
        // reads the whole body on the event loop before the REST layer runs: a slow body holds no worker thread
        // (the REST layer takes a body read this way as it is)
        this.bodies = io.vertx.ext.web.handler.BodyHandler.create(false).setBodyLimit(limit.asLongValue())
                .setMergeFormAttributes(false);
        this.timeoutMillis = timeout.toMillis();
        this.maxWaiting = maxWaiting;
    }

    void register(@Observes Filters filters) {
        filters.register(this::guard, 2500);
    }

    /** How many requests are waiting for their bodies now. */
    public int waiting() {
        return waiting.get();
    }

    private void guard(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        if (request.isEnded() || !hasBody(request)) {
            rc.next();
            return;
        }
        if (waiting.incrementAndGet() > maxWaiting) {
            waiting.decrementAndGet();
            rc.response().putHeader(HttpHeaders.CONNECTION, "close");
            EdgeProblems.answer(rc, ProblemType.SERVICE_UNAVAILABLE, "too many requests are sending their bodies "
                    + "right now; retry shortly", Map.of(HttpHeaders.RETRY_AFTER.toString(), "1"));
            request.connection().close();
            return;
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                waiting.decrementAndGet();
            }
        };
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        long timer = vertx.setPeriodic(CHECK_MILLIS, id -> {
            // the body has arrived once the request ended or the body handler has handed the whole body on (the
            // request need not say it ended while the REST layer still works on it); only then is the deadline off.
            // Not RequestBody.available(): that is true as soon as a body handler was seen.
            if (request.isEnded() || released.get() || rc.body().buffer() != null) {
                release.run();
                vertx.cancelTimer(id);
            } else if (System.nanoTime() > deadline) {
                release.run();
                vertx.cancelTimer(id);
                if (!rc.response().headWritten() && !rc.response().ended()) {
                    rc.response().putHeader(HttpHeaders.CONNECTION, "close");
                    EdgeProblems.answer(rc, ProblemType.REQUEST_TIMEOUT, "the request body did not arrive within "
                            + timeoutMillis + " ms", Map.of());
                }
                request.connection().close();
            }
        });
        rc.addEndHandler(v -> {
            release.run();
            vertx.cancelTimer(timer);
        });
        if (request.version() == io.vertx.core.http.HttpVersion.HTTP_2) {
            rc.next(); // the REST layer cannot take an HTTP/2 body read ahead; the deadline still applies
        } else {
            bodies.handle(rc);
        }
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            return !"0".equals(length.strip());
        }
        String encoding = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
        return encoding != null && encoding.toLowerCase(java.util.Locale.ROOT).contains("chunked");
    }
}
