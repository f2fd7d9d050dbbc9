package dev.reprise.agent.metrics;

import dev.reprise.api.messages.MetricPoint;

/** Where accepted points and rejections go. Implementations must not block on the transport. */
public interface MetricSink {

    void point(MetricPoint point);

    /** A value was dropped because its key is not acceptable. */
    void rejected(String reason, String key);
}
