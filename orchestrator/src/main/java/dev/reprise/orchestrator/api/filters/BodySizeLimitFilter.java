package dev.reprise.orchestrator.api.filters;

import dev.reprise.orchestrator.api.problem.Problem;
import dev.reprise.orchestrator.domain.error.ProblemType;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a request whose declared Content-Length is over the body limit with a 413 problem document before any byte
 * of the body is read. (Bodies sent chunked are still cut off by Quarkus' own limit, with an empty 413.)
 */
@ApplicationScoped
public class BodySizeLimitFilter {

    private final long limit;

    public BodySizeLimitFilter(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
        this.limit = limit.asLongValue();
    }

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && tooLarge(length)) {
                String body = "{\"type\":\"" + ProblemType.PAYLOAD_TOO_LARGE.uri() + "\",\"title\":\""
                        + ProblemType.PAYLOAD_TOO_LARGE.title() + "\",\"status\":413,\"detail\":\"the request body "
                        + "is larger than the limit of " + limit + " bytes\",\"instance\":\""
                        + jsonEscape(rc.normalizedPath()) + "\"}";
                rc.response().setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(body);
                return;
            }
            rc.next();
        }, 2600); // before SlowBodyGuard (2500), whose body reader would answer an empty 413
    }

    private boolean tooLarge(String length) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String jsonEscape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c >= 0x20) {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
