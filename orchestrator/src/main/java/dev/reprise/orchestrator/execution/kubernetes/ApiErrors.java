package dev.reprise.orchestrator.execution.kubernetes;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/** What an API-server error means for a caller: done, worth retrying now, worth retrying later, or hopeless. */
final class ApiErrors {

    enum Kind {
        /** 409 AlreadyExists: the object is there (launch is idempotent). */
        ALREADY_EXISTS,
        /** 404: nothing to act on. */
        NOT_FOUND,
        /** 429, 5xx, 409 Conflict, 410, timeouts, connection errors: try again with backoff. */
        TRANSIENT,
        /** 403 exceeded quota: not now, but a later try (when trials finish) can work. */
        LATER,
        /** 400, 401, 403, 422 and the rest: the request itself is refused; retrying cannot help. */
        PERMANENT
    }

    private ApiErrors() {
    }

    static Kind classify(Throwable error) {
        KubernetesClientException k = find(error, KubernetesClientException.class);
        if (k == null) {
            return isTimeoutOrIo(error) ? Kind.TRANSIENT : Kind.PERMANENT;
        }
        int code = k.getCode();
        String reason = k.getStatus() == null ? null : k.getStatus().getReason();
        switch (code) {
            case 409:
                // the API server says reason AlreadyExists; Fabric8's mock server says Invalid, same message
                return "AlreadyExists".equals(reason) || String.valueOf(message(k)).contains("already exists")
                        ? Kind.ALREADY_EXISTS : Kind.TRANSIENT;
            case 404:
                return Kind.NOT_FOUND;
            case 403:
                return String.valueOf(message(k)).contains("exceeded quota") ? Kind.LATER : Kind.PERMANENT;
            case 408, 410, 429, 500, 502, 503, 504:
                return Kind.TRANSIENT;
            case 0, -1:
                // no HTTP response: connection refused/reset, timeout
                return Kind.TRANSIENT;
            default:
                return code >= 500 ? Kind.TRANSIENT : Kind.PERMANENT;
        }
    }

    /** The server's own words, for a LaunchException or a run's failure message: "422 Invalid: ...". */
    static String describe(Throwable error) {
        KubernetesClientException k = find(error, KubernetesClientException.class);
        if (k == null) {
            return error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        }
        String msg = message(k);
        if (k.getCode() <= 0) {
            Throwable root = rootCause(k);
            return "no response from the API server: " + (root.getMessage() == null ? root.getClass().getSimpleName()
                    : root.getMessage());
        }
        String reason = k.getStatus() == null || k.getStatus().getReason() == null ? "" : " " + k.getStatus().getReason();
        return k.getCode() + reason + ": " + msg;
    }

    /** The server's Retry-After hint (429 and some 5xx carry one). */
    static Optional<Duration> retryAfter(Throwable error) {
        KubernetesClientException k = find(error, KubernetesClientException.class);
        if (k == null || k.getStatus() == null || k.getStatus().getDetails() == null
                || k.getStatus().getDetails().getRetryAfterSeconds() == null) {
            return Optional.empty();
        }
        int s = k.getStatus().getDetails().getRetryAfterSeconds();
        return s > 0 ? Optional.of(Duration.ofSeconds(s)) : Optional.empty();
    }

    private static String message(KubernetesClientException k) {
        Status s = k.getStatus();
        if (s != null && s.getMessage() != null && !s.getMessage().isBlank()) {
            return s.getMessage();
        }
        return k.getMessage();
    }

    private static boolean isTimeoutOrIo(Throwable error) {
        return find(error, TimeoutException.class) != null || find(error, IOException.class) != null;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
