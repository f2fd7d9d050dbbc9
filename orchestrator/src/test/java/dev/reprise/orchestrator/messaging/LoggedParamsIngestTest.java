package dev.reprise.orchestrator.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import dev.reprise.api.messages.ParamRules;
import dev.reprise.api.messages.RunEvent;
import dev.reprise.orchestrator.persistence.IngestStore;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Params a trainer logs through the agent (reprise.log_params) become the run's params, immutable once set. */
@QuarkusTest
class LoggedParamsIngestTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    ReportIngest ingest;

    @Inject
    StoredPoints stored;

    @BeforeEach
    void ingestIsListening() {
        await().atMost(PATIENCE).until(ingest::ready);
    }

    @Test
    void storesLoggedParamsOnceAndShowsThemInTheRunApiAndTheMlflowApi() {
        long run = TestRuns.create();
        long now = System.currentTimeMillis();
        RunEvent.ParamsLogged first = new RunEvent.ParamsLogged(run, 0, 1,
                Map.of("lr", "0.001", "optimizer", "adam w", "x", "0"), now);
        try (Reports reports = new Reports()) {
            reports.send(first);
            reports.send(first); // redelivered: changes nothing
        }
        await().atMost(PATIENCE).until(() -> stored.count("select count(*) from run_params where run_id = ?", run) == 3);

        given().get("/api/v1/runs/{id}", run).then().statusCode(200)
                .body("loggedParams.lr", equalTo("0.001")).body("loggedParams.optimizer", equalTo("adam w"))
                .body("parameters.x", equalTo(0)).body("warnings", equalTo(List.of()));
        given().queryParam("run_id", Long.toString(run)).get("/mlflow/api/2.0/mlflow/runs/get").then()
                .statusCode(200)
                .body("run.data.params.find { it.key == 'lr' }.value", equalTo("0.001"))
                .body("run.data.params.find { it.key == 'optimizer' }.value", equalTo("adam w"));
    }

    @Test
    void refusesAParamLoggedAgainWithAnotherValueWithAWarningAndKeepsTheFirst() {
        long run = TestRuns.create();
        long now = System.currentTimeMillis();
        Map<String, String> changed = new LinkedHashMap<>();
        changed.put("lr", "0.1");     // logged before with 0.001
        changed.put("x", "5");        // the sweep gave 0
        changed.put("layers", "4");   // new: stored
        RunEvent.ParamsLogged second = new RunEvent.ParamsLogged(run, 0, 2, changed, now);
        try (Reports reports = new Reports()) {
            reports.send(new RunEvent.ParamsLogged(run, 0, 1, Map.of("lr", "0.001"), now));
            reports.send(second);
            reports.send(second); // redelivered: warned once
            reports.send(new RunEvent.ParamsLogged(run, 0, 3, Map.of("a..b", "1", "ok", "yes"), now));
        }
        await().atMost(PATIENCE).until(() -> stored.count("select count(*) from run_params where run_id = ?", run) == 3);

        await().atMost(PATIENCE).untilAsserted(() -> given().get("/api/v1/runs/{id}", run).then().statusCode(200)
                .body("loggedParams.lr", equalTo("0.001")).body("loggedParams.layers", equalTo("4"))
                .body("loggedParams.ok", equalTo("yes")).body("loggedParams.x", nullValue())
                .body("warnings.reason", containsInAnyOrder(IngestStore.PARAM_CHANGED, ParamRules.NAME_CHARACTERS))
                .body("warnings.find { it.reason == '" + IngestStore.PARAM_CHANGED + "' }.count", equalTo(2))
                .body("warnings.find { it.reason == '" + IngestStore.PARAM_CHANGED + "' }.example",
                        equalTo("lr: kept '0.001', refused '0.1'")));
        given().queryParam("run_id", Long.toString(run)).get("/mlflow/api/2.0/mlflow/runs/get").then()
                .statusCode(200).body("run.data.params.findAll { it.key == 'lr' }.value", equalTo(List.of("0.001")))
                .body("run.data.params.key", hasItems("lr", "layers", "ok", "x"));
    }
}
