package dev.reprise.orchestrator.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A sweep in the sweeps list, with its best run so far. */
@Schema(name = "SweepOverview")
public record SweepOverviewView(
        SweepView sweep,
        @Schema(description = "The run with the best objective value so far (last reported value); null when the "
                + "sweep has no objective or no run reported it yet") SweepTableView.BestRunView best) {
}
