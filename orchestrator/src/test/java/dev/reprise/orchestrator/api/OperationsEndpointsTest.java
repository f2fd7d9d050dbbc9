package dev.reprise.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Health and metrics at Quarkus' standard endpoints, backed by the real PostgreSQL, Kafka and S3 server. */
@QuarkusTest
class OperationsEndpointsTest {

    @Test
    void reportsReadyOnlyWithDatabaseKafkaAndObjectStoreUp() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Database connections health check", "Kafka connection health check",
                        "object-store"))
                .body("checks.find { it.name == 'object-store' }.data.bucket", equalTo("reprise-test"));
    }

    @Test
    void exposesPrometheusMetrics() {
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds"))
                .body(containsString("jvm_memory_used_bytes"));
    }
}
