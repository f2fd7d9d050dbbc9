package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.persistence.MetricsQuery;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A range of one key's series, at full resolution or downsampled (min/max per step bucket). */
@Schema(name = "MetricSeries")
public record MetricSeriesView(
        long runId,
        String key,
        int attempt,
        @Schema(description = "Lowest step in the range; null when the range is empty") Long firstStep,
        @Schema(description = "Highest step in the range; null when the range is empty") Long lastStep,
        @Schema(description = "Points stored in the range") long total,
        @Schema(description = "Whether points holds min/max per bucket instead of every point") boolean downsampled,
        @Schema(description = "none or min-max") String method,
        List<PointView> points) {

    /** One point. The value is a number, or the string NaN, Infinity or -Infinity. */
    @Schema(name = "MetricPoint")
    public record PointView(long step, long seq,
            @Schema(description = "A number, or the string NaN, Infinity or -Infinity") double value, Instant at) {
    }

    static MetricSeriesView of(long runId, MetricsQuery.Series s) {
        return new MetricSeriesView(runId, s.key(), s.attempt(), s.firstStep(), s.lastStep(), s.total(),
                s.downsampled(), s.downsampled() ? "min-max" : "none",
                s.points().stream().map(p -> new PointView(p.step(), p.seq(), p.value(), p.at())).toList());
    }
}
