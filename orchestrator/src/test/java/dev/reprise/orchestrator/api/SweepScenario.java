package dev.reprise.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.reprise.api.messages.LogStream;
import dev.reprise.api.messages.MetricPoint;
import dev.reprise.api.messages.RunEvent;
import dev.reprise.api.messages.StopReason;
import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.execution.TrialObservation;
import dev.reprise.orchestrator.domain.run.FailureCause;
import dev.reprise.orchestrator.messaging.Reports;
import dev.reprise.orchestrator.scheduling.RunLifecycle;
import dev.reprise.orchestrator.scheduling.SchedulerStore;
import dev.reprise.orchestrator.scheduling.TestingExecutor;
import io.restassured.path.json.JsonPath;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A sweep that looks like real training: submitted through the REST API, its metric curves and log lines sent through
 * Kafka as agents send them (the real ingest stores them), and its runs moved through the real run state machine
 * (claimed, then observed running, succeeded or failed) as an executor would report them. Used by the browser tests.
 */
@ApplicationScoped
public class SweepScenario {

    static final String OBJECTIVE = "val/loss";

    private final SchedulerStore store;
    private final RunLifecycle lifecycle;
    private final TestingExecutor executor;

    public SweepScenario(SchedulerStore store, RunLifecycle lifecycle, TestingExecutor executor) {
        this.store = store;
        this.lifecycle = lifecycle;
        this.executor = executor;
    }

    /** A run of the scenario: its id, index and parameters. */
    public record Run(long id, int index, Map<String, Object> parameters) {
    }

    /** A submitted sweep and its runs in index order. */
    public record Submitted(int sweepId, List<Run> runs) {
    }

    /** A random search of {@code trials} trials over four parameters, objective {@value #OBJECTIVE} (minimize). */
    public static String randomSearch(String name, String project, int trials) {
        return "name: " + name + "\nproject: " + project + "\n"
                + "description: Learning rate, batch size, dropout and optimiser for a ResNet-18 on CIFAR-10.\n"
                + "image: ghcr.io/example/resnet-train:1.4\nprogram: train.py\nmethod: random\nseed: 42\n"
                + "max_trials: " + trials + "\nparallelism: 4\n"
                + "metric:\n  name: " + OBJECTIVE + "\n  goal: minimize\n"
                + "parameters:\n"
                + "  learning_rate:\n    distribution: log_uniform_values\n    min: 0.0001\n    max: 0.3\n"
                + "  batch_size:\n    values: [32, 64, 128, 256]\n"
                + "  dropout:\n    distribution: uniform\n    min: 0.0\n    max: 0.5\n"
                + "  optimizer:\n    values: [adam, sgd]\n"
                + "  epochs:\n    value: 50\n";
    }

    /** Submits the document through the REST API. */
    public static Submitted submit(String yaml) {
        int sweep = Sweeps.submitYaml(yaml).statusCode(201).extract().path("id");
        JsonPath runs = given().queryParam("size", 500).get("/api/v1/sweeps/{id}/runs", sweep).then()
                .statusCode(200).extract().jsonPath();
        List<Run> out = new ArrayList<>();
        for (int i = 0; i < runs.getList("items").size(); i++) {
            Map<String, Object> params = runs.getMap("items[" + i + "].parameters");
            out.add(new Run(runs.getLong("items[" + i + "].id"), runs.getInt("items[" + i + "].index"), params));
        }
        return new Submitted(sweep, out);
    }

    /**
     * Sends {@code steps} steps of train/loss, val/loss and val/acc for the run, shaped by its parameters, and
     * returns the last val/loss.
     */
    public static double train(Reports reports, Run run, int steps) {
        Random random = new Random(run.id());
        double lr = ((Number) run.parameters().getOrDefault("learning_rate", 0.01)).doubleValue();
        double dropout = ((Number) run.parameters().getOrDefault("dropout", 0.1)).doubleValue();
        boolean adam = "adam".equals(run.parameters().get("optimizer"));
        double distance = Math.abs(Math.log10(lr) - (adam ? -3.0 : -1.6));
        double floor = 0.32 + 0.35 * distance * distance + 0.25 * Math.abs(dropout - 0.2);
        double tau = 18 + 40 * distance;
        List<MetricPoint> batch = new ArrayList<>();
        long seq = 0;
        long batchSeq = 0;
        double last = Double.NaN;
        long now = System.currentTimeMillis();
        for (int step = 0; step < steps; step++) {
            double decay = Math.exp(-step / tau);
            double train = floor * 0.8 + 2.1 * decay + random.nextGaussian() * 0.02;
            double val = floor + 1.9 * decay + random.nextGaussian() * 0.025 + (step > 120 ? 0.0008 * (step - 120) : 0);
            double acc = Math.min(0.99, Math.max(0.1, 1.0 - val / 2.6 + random.nextGaussian() * 0.004));
            long at = now - (steps - step) * 10L;
            batch.add(new MetricPoint("train/loss", step, at, train, seq++));
            batch.add(new MetricPoint(OBJECTIVE, step, at, val, seq++));
            batch.add(new MetricPoint("val/acc", step, at, acc, seq++));
            last = val;
            if (batch.size() >= 480) {
                reports.batch(run.id(), 0, batchSeq++, batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            reports.batch(run.id(), 0, batchSeq, batch);
        }
        return last;
    }

    /** What an agent reports around a finished attempt: its start, a heartbeat, some output and its end. */
    public static void agentLifecycle(Reports reports, Run run, int steps, int exitCode) {
        long start = System.currentTimeMillis() - steps * 10L;
        reports.send(new RunEvent.Started(run.id(), 0, 0, "resnet-" + run.index() + "-a1b2c3d4", 4100 + run.index(),
                "gpu-node-" + (run.index() % 3 + 1), List.of("python", "train.py"), "0.1.0", start));
        reports.send(new RunEvent.Heartbeat(run.id(), 0, 1, start + steps * 9L, 312.5, 1840.0,
                6_442_450_944L, 5, List.of()));
        List<String> lines = new ArrayList<>();
        for (int epoch = 1; epoch <= 10; epoch++) {
            lines.add(String.format(java.util.Locale.ROOT, "epoch %d/10 step %d train/loss=%.4f", epoch,
                    epoch * steps / 10, 2.0 / epoch));
        }
        reports.send(new RunEvent.LogChunk(run.id(), 0, 2, LogStream.STDOUT, 0, lines));
        reports.send(new RunEvent.LogChunk(run.id(), 0, 3, LogStream.STDERR, 0,
                List.of("UserWarning: the default value of antialias will change in v0.17")));
        reports.send(new RunEvent.Finished(run.id(), 0, 4, exitCode,
                exitCode == 0 ? StopReason.COMPLETED : StopReason.FAILED, null, start + steps * 10L, null));
    }

    /** Moves runs through the state machine as an executor would report them: launched, then running. */
    public void running(List<Run> runs) {
        for (TrialLaunch launch : store.claim(runs.stream().map(Run::id).toList())) {
            executor.plant(launch); // should this instance reconcile, the trial exists
            lifecycle.observe(new TrialObservation.Launched(launch.runId(), launch.attempt(), Instant.now()));
            lifecycle.observe(new TrialObservation.Running(launch.runId(), launch.attempt(), Instant.now(),
                    "gpu-node-" + (launch.index() % 3 + 1),
                    "sha256:8f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0"));
        }
    }

    public void succeeded(Run run) {
        executor.forget(run.id(), 0);
        lifecycle.observe(new TrialObservation.Succeeded(run.id(), 0, Instant.now(), 0));
    }

    public void failed(Run run) {
        executor.forget(run.id(), 0);
        lifecycle.observe(new TrialObservation.Failed(run.id(), 0, Instant.now(), FailureCause.USER_ERROR, 1,
                "exit code 1: RuntimeError: CUDA error: an illegal memory access was encountered"));
    }

    /** Waits until the sweep's table shows a value of the key for at least {@code count} runs. */
    public static void awaitSummaries(long sweepId, String key, int count) {
        await().atMost(DashboardBrowser.PATIENCE).until(() -> {
            List<Object> values = given().queryParam("size", 500).queryParam("metric", key)
                    .get("/api/v1/sweeps/{id}/table", sweepId)
                    .then().statusCode(200).extract().path("items.metrics.'" + key + "'.last");
            return values.stream().filter(v -> v != null).count() >= count;
        });
    }
}
