package dev.reprise.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The DOWN side of readiness: with the object store unreachable (nothing listens on its port) the orchestrator is not
 * ready, and says which check failed and why, while the database and Kafka checks stay UP.
 */
@QuarkusTest
@TestProfile(ObjectStoreAwayTest.Unreachable.class)
class ObjectStoreAwayTest {

    /** The object store on a port where nothing listens. */
    public static class Unreachable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("reprise.s3.endpoint", "http://127.0.0.1:1", "reprise.scheduler.enabled", "false");
        }
    }

    @Test
    void readinessIsDownAndNamesTheObjectStoreWhenItCannotBeReached() {
        given().get("/q/health/ready").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'object-store' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'object-store' }.data.bucket", equalTo("reprise-test"))
                .body("checks.find { it.name == 'object-store' }.data.error", not(emptyOrNullString()))
                .body("checks.find { it.name == 'Database connections health check' }.status", equalTo("UP"));
    }

    @Test
    void livenessStaysUpSoTheOrchestratorIsNotRestartedForAnOutageElsewhere() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
