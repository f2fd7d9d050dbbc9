package dev.reprise.orchestrator.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.reprise.api.messages.MetricPoint;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redelivery never duplicates and outages never lose: the same batch twice, the consumer stopped mid-stream, the
 * broker restarted mid-stream; each time the stored points are exactly the printed ones.
 */
@QuarkusTest
class RedeliveryTest {

    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @Inject
    ReportIngest ingest;

    @Inject
    StoredPoints stored;

    @TempDir
    Path tmp;

    @BeforeEach
    void ingestIsListening() {
        await().atMost(PATIENCE).until(ingest::ready);
    }

    @Test
    void storesARedeliveredBatchOnceAndCountsItOnce() {
        long run = TestRuns.create();
        List<MetricPoint> points = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            points.add(Reports.point(i % 3 == 0 ? "loss" : "acc", i, i * 0.5, i));
        }
        try (Reports reports = new Reports()) {
            reports.batch(run, 0, 0, points);
            reports.batch(run, 0, 0, points);
            reports.batch(run, 0, 0, points.subList(100, 200));
            reports.batch(run, 0, 1, List.of(Reports.point("end", 0, 1, 300)));
        }
        await().atMost(PATIENCE).until(() -> stored.of(run).size() == 301);
        given().get("/api/v1/runs/{id}/metrics", run).then().statusCode(200)
                .body("keys.find { it.key == 'loss' }.points", equalTo(100))
                .body("keys.find { it.key == 'acc' }.points", equalTo(200))
                .body("keys.find { it.key == 'acc' }.lastStep", equalTo(299))
                .body("keys.find { it.key == 'loss' }.max", equalTo(148.5f));
    }

    @Test
    void losesAndDuplicatesNothingWhenTheConsumerStopsMidStream() {
        long run = TestRuns.create();
        TrainingScript script = new TrainingScript(tmp);
        try (AgentProcess agent = AgentProcess.start(run, 0, tmp, script.command(-1, 0, 0.002))) {
            await().atMost(PATIENCE).until(() -> stored.userPoints(run).size() >= 200);
            ingest.stop();
            long printedBefore = script.printedLines();
            await().atMost(PATIENCE).until(() -> script.printedLines() >= printedBefore + 500);
            ingest.start();
            await().atMost(PATIENCE).until(ingest::ready);
            long storedAfterRestart = stored.userPoints(run).size();
            await().atMost(PATIENCE).until(() -> stored.userPoints(run).size() >= storedAfterRestart + 500);
            agent.terminate();
            assertThat(agent.waitFor(60)).as(agent.output()).isEqualTo(143);
        }
        assertStoredExactlyWhatWasPrinted(run, script);
    }

    @Test
    void losesAndDuplicatesNothingWhenTheBrokerRestartsMidStream() {
        long run = TestRuns.create();
        TrainingScript script = new TrainingScript(tmp);
        try (AgentProcess agent = AgentProcess.start(run, 0, tmp, script.command(-1, 0, 0.005))) {
            await().atMost(PATIENCE).until(() -> stored.userPoints(run).size() >= 200);
            long printedBefore = script.printedLines();
            KafkaBroker.restart();
            assertThat(script.printedLines()).as("points printed while the broker was away")
                    .isGreaterThan(printedBefore);
            long printedAfterRestart = script.printedLines();
            await().atMost(PATIENCE).until(() -> stored.userPoints(run).size() >= printedAfterRestart);
            agent.terminate();
            assertThat(agent.waitFor(90)).as(agent.output()).isEqualTo(143);
        }
        assertStoredExactlyWhatWasPrinted(run, script);
    }

    private void assertStoredExactlyWhatWasPrinted(long run, TrainingScript script) {
        Set<TrainingScript.Printed> printed = script.printed();
        await().atMost(PATIENCE).until(() -> stored.userPoints(run).size() >= printed.size());
        List<StoredPoints.Row> rows = stored.userPoints(run);
        assertThat(rows).as("stored points, each printed point once").hasSize(printed.size());
        assertThat(rows.stream().map(r -> new TrainingScript.Printed(r.key(), r.step(), r.value()))
                .collect(Collectors.toSet())).isEqualTo(printed);
    }
}
