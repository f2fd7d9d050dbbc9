package dev.reprise.orchestrator.messaging;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.UUID;

/** Creates real runs through the REST API: a grid sweep with one run per value. */
public final class TestRuns {

    private TestRuns() {
    }

    /** Ids of {@code count} new runs of a freshly submitted sweep in the default queue (held: they stay QUEUED). */
    public static List<Long> create(int count) {
        return create(count, "default");
    }

    /** Ids of {@code count} new runs of a freshly submitted sweep in the given queue. */
    public static List<Long> create(int count, String queue) {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < count; i++) {
            values.append(i == 0 ? "" : ", ").append(i);
        }
        String yaml = "name: ingest-" + UUID.randomUUID().toString().substring(0, 13) + "\n"
                + "image: python:3.12-slim\nprogram: train.py\nmethod: grid\nqueue: " + queue + "\n"
                + "parallelism: " + count + "\n"
                + "parameters:\n  x:\n    values: [" + values + "]\n";
        int sweep = given().contentType("application/yaml").body(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/sweeps").then().statusCode(201).extract().path("id");
        List<Number> ids = given().queryParam("size", 500).get("/api/v1/sweeps/{id}/runs", sweep).then()
                .statusCode(200).extract().path("items.id");
        return ids.stream().map(Number::longValue).toList();
    }

    public static long create() {
        return create(1).get(0);
    }
}
