package dev.reprise.agent.metrics;

import dev.reprise.api.messages.MetricPoint;
import java.util.ArrayList;
import java.util.List;

/** Collects what a {@link MetricsRecorder} emits. */
final class RecordingSink implements MetricSink {

    final List<MetricPoint> points = new ArrayList<>();
    final List<String> rejections = new ArrayList<>();

    @Override
    public synchronized void point(MetricPoint point) {
        points.add(point);
    }

    @Override
    public synchronized void rejected(String reason, String key) {
        rejections.add(reason);
    }
}
