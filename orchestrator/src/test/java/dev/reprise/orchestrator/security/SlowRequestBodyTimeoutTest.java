package dev.reprise.orchestrator.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The body timeout is about the body: a request whose body arrived at once but whose work takes longer than
 * {@code reprise.http.body-timeout} (here 1 s; a 10,000-run sweep takes seconds to expand and store) gets its answer,
 * not a 408 (a loaded machine turned such submissions into "the request body did not arrive" before).
 */
@QuarkusTest
@TestProfile(SlowRequestBodyTimeoutTest.OneSecondBodyTimeout.class)
class SlowRequestBodyTimeoutTest {

    public static class OneSecondBodyTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("reprise.http.body-timeout", "1s");
        }
    }

    @Test
    void aRequestWhoseWorkOutlastsTheBodyTimeoutIsAnsweredNotTimedOut() {
        String values = IntStream.range(0, 10_000).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        String yaml = "name: long-" + UUID.randomUUID().toString().substring(0, 8) + "\nimage: x\nprogram: t.py\n"
                + "method: grid\nqueue: default\nparameters:\n  i: {values: [" + values + "]}\n";
        long start = System.nanoTime();
        Response response = RestAssured.given().config(RestAssured.config().encoderConfig(EncoderConfig
                        .encoderConfig().encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body(yaml).post("/api/v1/sweeps");
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("10,000-run sweep submitted in %.1f s with a 1 s body timeout: %d%n", seconds,
                response.statusCode());
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(201);
    }
}
