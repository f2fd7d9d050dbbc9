package dev.reprise.orchestrator.api.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** RFC 9457 problem details, the one error shape of the API ({@code application/problem+json}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details")
public record Problem(
        @Schema(description = "URI identifying the problem type") String type,
        @Schema(description = "Short summary of the problem type") String title,
        int status,
        @Schema(description = "What went wrong in this request") String detail,
        @Schema(description = "The request path") String instance,
        @Schema(description = "For validation problems: each offending field and why") List<FieldProblem> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid field, named by its dotted path such as {@code parameters.lr.min}. */
    public record FieldProblem(String field, String message) {
    }
}
