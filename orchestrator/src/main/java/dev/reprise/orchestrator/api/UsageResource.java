package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.application.UsageService;
import dev.reprise.orchestrator.domain.error.BadInputException;
import dev.reprise.orchestrator.domain.usage.UsageGroup;
import dev.reprise.orchestrator.security.Access;
import dev.reprise.orchestrator.security.CallerContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Accounting: GPU-hours, CPU-hours requested and GPU energy, summed as asked (docs/usage.md). */
@Path("/api/v1/usage")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "usage")
public class UsageResource {

    private final UsageService usage;
    private final CallerContext callers;

    public UsageResource(UsageService usage, CallerContext callers) {
        this.usage = usage;
        this.callers = callers;
    }

    @GET
    @Operation(operationId = "getUsage", summary = "GPU-seconds, CPU-seconds and energy of attempts, summed by a key",
            description = "Every attempt the executor saw start and that overlaps [from, to) is charged for the part "
                    + "of its wall time inside the window; preempted and failed attempts are included in the totals "
                    + "and also shown apart. Only projects the caller can see are counted.")
    @APIResponse(responseCode = "200", description = "The usage report",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = UsageView.Report.class)))
    @APIResponse(responseCode = "400", description = "Unknown groupBy, or from/to not a date or instant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Access(on = Access.Scope.ANY_PROJECT)
    public UsageView.Report report(
            @Parameter(description = "Only this project") @QueryParam("project") String project,
            @Parameter(description = "Start of the window: an ISO-8601 instant or a date (UTC midnight)")
            @QueryParam("from") String from,
            @Parameter(description = "End of the window (exclusive): an ISO-8601 instant or a date (UTC midnight)")
            @QueryParam("to") String to,
            @Parameter(description = "run, sweep, project (default), queue or user") @QueryParam("groupBy")
            String groupBy) {
        UsageGroup group = groupBy == null || groupBy.isEmpty() ? UsageGroup.PROJECT
                : UsageGroup.fromWireName(groupBy).orElseThrow(() -> new BadInputException("groupBy",
                        "groupBy must be one of " + UsageGroup.wireNames() + ", not '" + groupBy + "'"));
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (start != null && end != null && !end.isAfter(start)) {
            throw new BadInputException("to", "to must be after from");
        }
        return UsageView.Report.of(usage.report(callers.caller().visibleProjects().orElse(null), project, start, end,
                group), project);
    }

    static Instant instant(String field, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadInputException(field, field + " must be an ISO-8601 instant (2026-12-01T00:00:00Z) or a date "
                    + "(2026-12-01), not '" + value + "'");
        }
    }
}
