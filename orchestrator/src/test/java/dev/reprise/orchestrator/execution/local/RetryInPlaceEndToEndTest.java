package dev.reprise.orchestrator.execution.local;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Retry in place (POST /api/v1/sweeps/{id}/retry), end to end on the local executor: the failed trials of a sweep
 * run again as new attempts of the same runs, with the same indices, parameters and seeds, and the sweep, reopened,
 * ends SUCCEEDED; what cannot be retried is refused whole with the field at fault.
 */
@QuarkusTest
@TestProfile(LocalExecutorProfile.class)
class RetryInPlaceEndToEndTest {

    private static final Set<String> ENDED = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    private static int submit(String command, String extra) {
        String yaml = "name: retry-" + UUID.randomUUID().toString().substring(0, 12) + "\nimage: local\n"
                + "command: " + command + "\nmethod: grid\nqueue: local\n" + extra
                + "parameters:\n  n: {values: [0, 1, 2, 3]}\n";
        return RestAssured.given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body(yaml).post("/api/v1/sweeps")
                .then().statusCode(201).extract().path("id");
    }

    private static String status(int sweep) {
        return given().get("/api/v1/sweeps/{id}", sweep).then().statusCode(200).extract().path("status");
    }

    /** Each run by id: index, parameters, seed, state and attempt, as the API shows them. */
    private static Map<Long, Map<String, Object>> runs(int sweep) {
        List<Map<String, Object>> items = given().get("/api/v1/sweeps/{id}/runs?size=100", sweep).then()
                .statusCode(200).extract().path("items");
        return items.stream().collect(Collectors.toMap(r -> ((Number) r.get("id")).longValue(), r -> r));
    }

    /** The seed attempt {@code attempt} of the run was given (REPRISE_SEED, as the trial logged it). */
    private static Object seedSeen(long run, int attempt) {
        return given().get("/api/v1/runs/{id}/metrics/trial_seed?attempt=" + attempt, run).then().statusCode(200)
                .extract().path("points[0].value");
    }

    private static io.restassured.response.ValidatableResponse retry(int sweep, String body) {
        return given().contentType("application/json").body(body).post("/api/v1/sweeps/{id}/retry", sweep).then();
    }

    @Test
    void theFailedTrialsOfASweepRunAgainInPlaceAndTheSweepSucceeds() {
        // every attempt logs the seed it was given; odd trials then fail on their first attempt only
        int sweep = submit("[sh, -c, 'echo \"{\\\"step\\\": 0, \\\"trial_seed\\\": $REPRISE_SEED}\"; "
                + "if [ \"$REPRISE_ATTEMPT\" = 0 ] && [ $(( $1 % 2 )) = 1 ]; then exit 3; fi', trial, '${params.n}']",
                "max_failed_trials: 1\n");
        await().atMost(Duration.ofSeconds(180)).until(() -> ENDED.contains(status(sweep)));
        Map<Long, Map<String, Object>> before = runs(sweep);
        assertThat(before.values()).filteredOn(r -> "FAILED".equals(r.get("state"))).isNotEmpty();
        long succeeded = before.entrySet().stream().filter(e -> "SUCCEEDED".equals(e.getValue().get("state")))
                .map(Map.Entry::getKey).findFirst().orElseThrow();

        // a run that succeeded is not retried: the whole request is refused, naming the run
        retry(sweep, "{\"runIds\": [" + before.keySet().stream().filter(id -> id != succeeded).findFirst()
                .orElseThrow() + ", " + succeeded + "]}").statusCode(409)
                .body("errors[0].field", equalTo("runIds[1]"))
                .body("errors[0].message", containsString("the run succeeded"));
        retry(sweep, "{\"runIds\": [999999999]}").statusCode(422).body("errors[0].field", equalTo("runIds[0]"));
        retry(sweep, "{}").statusCode(422).body("errors[0].field", equalTo("failed"));
        assertThat(runs(sweep)).as("nothing half-done").isEqualTo(before);

        List<Integer> retriedIds = retry(sweep, "{\"failed\": true}").statusCode(200)
                .body("sweep.status", equalTo("RUNNING")).extract().path("retried.id");
        await().atMost(Duration.ofSeconds(180)).until(() -> "SUCCEEDED".equals(status(sweep)));

        Map<Long, Map<String, Object>> after = runs(sweep);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((id, was) -> {
            Map<String, Object> now = after.get(id);
            assertThat(now.get("state")).as("run %s", id).isEqualTo("SUCCEEDED");
            for (String same : List.of("index", "parameters", "provenance")) {
                assertThat(now.get(same)).as("run %s %s", id, same).usingRecursiveComparison()
                        .ignoringFields("nodeName", "agentVersion").isEqualTo(was.get(same));
            }
            boolean retried = retriedIds.stream().anyMatch(r -> r.longValue() == id);
            if (retried) {
                assertThat(seedSeen(id, 1)).as("run %s: the seed its retry was given", id).isEqualTo(seedSeen(id, 0));
            }
            assertThat(now.get("attempt")).as("run %s attempt", id)
                    .isEqualTo(((Integer) was.get("attempt")) + (retried ? 1 : 0));
        });
        assertThat(retriedIds).hasSizeGreaterThanOrEqualTo(2);
        // nothing left to retry: an empty answer, nothing changes
        retry(sweep, "{\"failed\": true}").statusCode(200).body("retried.size()", equalTo(0))
                .body("sweep.status", equalTo("SUCCEEDED"));
    }

    @Test
    void aCancelledSweepIsNotRetried() {
        int sweep = submit("[sleep, '300']", "");
        given().post("/api/v1/sweeps/{id}/cancel", sweep).then().statusCode(200);

        retry(sweep, "{\"failed\": true}").statusCode(409).body("errors[0].field", equalTo("status"))
                .body("detail", containsString("was cancelled"));
        assertThat(runs(sweep).values()).allMatch(r -> "CANCELLED".equals(r.get("state")));
    }
}
