package dev.reprise.orchestrator.scheduling;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The webhook delivery worker (docs/webhooks.md#delivery). */
@ConfigMapping(prefix = "reprise.webhooks")
public interface WebhookConfig {

    /** Whether this instance sends deliveries (events are recorded either way). */
    @WithDefault("true")
    boolean enabled();

    /** How often the worker looks for due deliveries. */
    @WithDefault("1s")
    Duration pollInterval();

    /** Deliveries in flight at once; a hanging receiver holds one of them, never the scheduler. */
    @WithDefault("4")
    int workers();

    @WithDefault("5s")
    Duration connectTimeout();

    /** How long a receiver may take to answer, from the request sent to the response's end. */
    @WithDefault("10s")
    Duration readTimeout();

    /** Wait after the first failed attempt; doubles per failure up to {@link #maxRetryDelay()}. */
    @WithDefault("10s")
    Duration firstRetryDelay();

    @WithDefault("1h")
    Duration maxRetryDelay();

    /** Attempts per delivery before it is marked FAILED. */
    @WithDefault("10")
    int maxAttempts();
}
