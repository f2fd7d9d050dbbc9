package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.persistence.MetricsQuery;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A page of a run attempt's output lines. */
@Schema(name = "LogPage")
public record LogPageView(
        List<LogLineView> items,
        int page,
        int size,
        long total,
        @Schema(description = "The attempt the lines belong to") int attempt,
        @Schema(description = "The node rank the lines belong to (0 for an ordinary trial)") int rank,
        @Schema(description = "The attempt has ended: lines not shipped yet will not come") boolean complete) {

    @Schema(name = "LogLine")
    public record LogLineView(
            @Schema(description = "stdout or stderr") String stream,
            @Schema(description = "Line number within its stream, from 0") long line,
            String text) {
    }

    static LogPageView of(MetricsQuery.LogPage p, int page, int size) {
        return new LogPageView(p.lines().stream().map(l -> new LogLineView(l.stream() == 1 ? "stdout" : "stderr",
                l.lineNo(), l.text())).toList(), page, size, p.total(), p.attempt(), p.rank(), p.complete());
    }
}
