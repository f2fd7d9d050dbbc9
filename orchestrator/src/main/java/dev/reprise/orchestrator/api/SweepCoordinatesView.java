package dev.reprise.orchestrator.api;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Parameters against one metric, one entry per run that reported it, best first: a parallel-coordinates plot. */
@Schema(name = "SweepCoordinates")
public record SweepCoordinatesView(
        long sweepId,
        @Schema(description = "The metric on the last axis (default: the sweep's objective)") String metric,
        @Schema(description = "minimize or maximize: which end is best") String goal,
        @Schema(description = "Parameter axes, in declaration order") List<String> parameters,
        @Schema(description = "At most limit runs, best first") List<CoordinateView> items) {

    /** One run: parameters and the last value of the metric (a number, or NaN, Infinity, -Infinity as strings). */
    @Schema(name = "SweepCoordinate")
    public record CoordinateView(long runId, int index, String state, Map<String, Object> parameters,
            double value) {
    }
}
