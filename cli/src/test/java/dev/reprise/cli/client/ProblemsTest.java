package dev.reprise.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemsTest {

    @Test
    void readsAProblemDetailWithItsFieldErrors() {
        Problem problem = Problems.fromResponse(422, "application/problem+json", bytes("""
                {"type":"t","title":"Invalid sweep","status":422,"detail":"d","instance":"/api/v1/sweeps",
                 "errors":[{"field":"parameters.lr.min","message":"too big"}],"traceId":"abc"}"""));

        assertThat(problem).isEqualTo(new Problem("t", "Invalid sweep", 422, "d", "/api/v1/sweeps",
                List.of(new Problem.FieldError("parameters.lr.min", "too big"))));
    }

    @Test
    void fillsInStatusAndTitleAProblemLeavesOut() {
        Problem problem = Problems.fromResponse(409, "application/problem+json", bytes("{\"detail\":\"already done\"}"));

        assertThat(problem.status()).isEqualTo(409);
        assertThat(problem.title()).isEqualTo("Conflict");
        assertThat(problem.detail()).isEqualTo("already done");
    }

    @Test
    void makesAProblemFromTheStatusWhenTheBodyIsNotOne() {
        Problem problem = Problems.fromResponse(500, "application/json", bytes("[1,2]"));

        assertThat(problem).isEqualTo(new Problem(null, "Internal Server Error", 500, null, null, List.of()));
    }

    @Test
    void namesUnusualStatusesGenerically() {
        assertThat(Problems.fromResponse(418, "", new byte[0]).title()).isEqualTo("HTTP error");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
