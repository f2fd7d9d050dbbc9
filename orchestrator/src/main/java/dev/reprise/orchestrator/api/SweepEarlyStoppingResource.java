package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.application.EarlyStoppingReads;
import dev.reprise.orchestrator.domain.search.stopping.StoppingSavings;
import dev.reprise.orchestrator.security.Access;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** How much training a sweep's early stopping saved (the dashboard's sweep page shows it). */
@Path("/api/v1/sweeps/{id}/early-stopping")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dashboard")
public class SweepEarlyStoppingResource {

    @Schema(name = "EarlyStoppedRun", description = "One trial the rule stopped; null where a figure is unknown")
    public record StoppedRunView(long runId, int index,
            @Schema(description = "The objective's last step it trained to") Long stoppedAtStep,
            @Schema(description = "maxSteps minus stoppedAtStep") Long stepsNotTrained,
            @Schema(description = "GPUs × seconds it ran (null without GPUs)") Double gpuSeconds,
            @Schema(description = "Estimated: gpuSeconds / stoppedAtStep × stepsNotTrained") Double gpuSecondsSaved) {
    }

    @Schema(name = "EarlyStoppingSavings", description = "What early stopping saved in a sweep")
    public record SavingsView(long sweepId,
            @Schema(description = "hyperband or median; null when the sweep has no early_terminate") String rule,
            String metric,
            @Schema(description = "The steps a trial would have trained: the rule's max_iter, else the most a "
                    + "completed trial of the sweep reached") Long maxSteps,
            @Schema(description = "max_iter or 'longest completed run'") String maxStepsFrom,
            int stoppedRuns,
            @Schema(description = "Steps the stopped trials trained, summed") long stepsTrained,
            @Schema(description = "Steps they did not train, summed (null without maxSteps)") Long stepsNotTrained,
            @Schema(description = "GPU-seconds the stopped trials used (null without GPUs)") Double gpuSecondsUsed,
            @Schema(description = "GPU-seconds they did not use, estimated at each trial's own rate")
            Double gpuSecondsSaved,
            List<StoppedRunView> runs) {
    }

    private final EarlyStoppingReads reads;

    public SweepEarlyStoppingResource(EarlyStoppingReads reads) {
        this.reads = reads;
    }

    @GET
    @Operation(operationId = "getSweepEarlyStopping",
            summary = "The compute early stopping saved: steps not trained against the maximum, and GPU-seconds")
    @APIResponse(responseCode = "200", description = "The figures",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SavingsView.class)))
    @APIResponse(responseCode = "404", description = "No such sweep",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.SWEEP)
    public SavingsView savings(@PathParam("id") long sweepId) {
        EarlyStoppingReads.Report r = reads.of(sweepId);
        StoppingSavings.Summary s = r.savings();
        return new SavingsView(r.sweepId(), r.rule(), r.metric(), s.maxSteps(), r.maxStepsFrom(), s.stoppedRuns(),
                s.stepsTrained(), s.stepsNotTrained(), s.gpuSecondsUsed(), s.gpuSecondsSaved(), s.runs().stream()
                        .map(x -> new StoppedRunView(x.runId(), x.index(), x.stoppedAtStep(), x.stepsNotTrained(),
                                x.gpuSeconds(), x.gpuSecondsSaved())).toList());
    }
}
