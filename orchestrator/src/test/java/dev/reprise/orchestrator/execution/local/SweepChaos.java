package dev.reprise.orchestrator.execution.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.orchestrator.execution.KafkaOutage;
import dev.reprise.orchestrator.execution.OrchestratorProcess;
import dev.reprise.orchestrator.execution.PostgresOutage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The chaos tier ({@code *Chaos}, its own failsafe execution): a sweep runs with metrics flowing from real agents while,
 * one after the other, the orchestrator is killed (SIGKILL) and started again, the Kafka broker is killed for 15 s,
 * and PostgreSQL is killed and started again 30 s later. The sweep must finish with every run SUCCEEDED on its first
 * attempt and every metric point the trainers printed stored exactly once (exact set comparison), none extra, and no
 * trial or agent process left behind.
 */
class SweepChaos {

    private static final int TRIALS = 6;
    private static final int PARALLELISM = 3;
    private static final int STEPS = 40;
    private static final Duration WAIT = Duration.ofMinutes(5);

    private static final String TRAINER = """
            import json, os, random, sys, time
            printed, steps = sys.argv[1], int(sys.argv[2])
            run, attempt = os.environ["REPRISE_RUN_ID"], os.environ["REPRISE_ATTEMPT"]
            rnd = random.Random(int(run) * 1000 + int(attempt))
            # at least `steps` steps, and on until the test has done its rounds (the file "done"): metrics flow
            # through every round however slow the machine is
            done = os.path.join(printed, "..", "done")
            with open(os.path.join(printed, f"{run}-{attempt}.txt"), "w") as out:
                out.write(f"pid {os.getpid()}\\n")
                s = 0
                while s < steps or not os.path.exists(done):
                    loss = rnd.random()
                    print(json.dumps({"step": s, "loss": loss}), flush=True)
                    out.write(f"{run} {attempt} loss {s} {loss!r}\\n")
                    out.flush()
                    s += 1
                    time.sleep(0.5)
            """;

    private OrchestratorProcess orchestrator;
    private Path root;

    @AfterEach
    void stop() throws IOException {
        if (root != null) {
            // trainers end by themselves once "done" exists, also when the test failed before its rounds were done
            Files.writeString(root.resolve("done"), "");
        }
        if (orchestrator != null) {
            orchestrator.close();
        }
    }

    @Test
    void aSweepSurvivesAKilledOrchestratorBrokerAndDatabaseWithEveryPointStoredExactlyOnce() throws Exception {
        root = Path.of("target", "chaos", UUID.randomUUID().toString()).toAbsolutePath();
        Path printed = Files.createDirectories(root.resolve("printed"));
        Path trainer = root.resolve("train.py");
        Files.writeString(trainer, TRAINER);
        Path repo = Path.of("..").toAbsolutePath().normalize();
        orchestrator = OrchestratorProcess.create("SweepChaos", Map.of(
                "reprise.executor", "local",
                "reprise.local.work-dir", root.resolve("work").toString(),
                "reprise.local.trial-dir", repo.toString(),
                "reprise.local.agent-jar", repo.resolve("agent/target/reprise-agent.jar").toString(),
                "reprise.local.heartbeat-interval", "2s",
                // one consumer group across restarts, so that a new instance goes on where the killed one stopped
                "reprise.ingest.private-group", "false",
                "reprise.ingest.group-id", "chaos-" + UUID.randomUUID(),
                "reprise.ingest.auto-offset-reset", "earliest",
                "reprise.ingest.heartbeat-timeout", "120s"), Map.of());
        orchestrator.start();
        String values = String.join(", ", Stream.iterate(0, i -> i + 1).limit(TRIALS).map(String::valueOf).toList());
        String yaml = "name: chaos-" + UUID.randomUUID().toString().substring(0, 8) + "\nimage: busybox:1.36\n"
                + "command: [python3, " + trainer + ", " + printed + ", '" + STEPS + "']\nmethod: grid\n"
                + "parallelism: " + PARALLELISM + "\nparameters:\n  i: {values: [" + values + "]}\n";
        int sweep = orchestrator.api().contentType("application/yaml").body(yaml).post("/api/v1/sweeps")
                .then().statusCode(201).extract().path("id");

        int rounds = 0;
        // (a) the orchestrator dies while points flow, and a new instance starts
        awaitPrintedAtLeast(printed, 10);
        orchestrator.kill();
        orchestrator.start();
        rounds++;
        // (b) the broker dies for 15 s
        awaitPrintedAtLeast(printed, countPrinted(printed) + 10);
        try (KafkaOutage broker = KafkaOutage.begin()) {
            broker.holdFor(Duration.ofSeconds(15));
        }
        rounds++;
        // (c) the database dies, long enough for trials to finish meanwhile, and comes back 30 s later
        awaitPrintedAtLeast(printed, countPrinted(printed) + 10);
        try (PostgresOutage database = PostgresOutage.begin()) {
            database.holdFor(Duration.ofSeconds(30));
        }
        rounds++;
        Files.writeString(root.resolve("done"), "");

        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> List.of("SUCCEEDED", "FAILED",
                "CANCELLED").contains((String) orchestrator.api().get("/api/v1/sweeps/{id}", sweep).then()
                        .statusCode(200).extract().path("status")));
        List<Map<String, Object>> runs = orchestrator.api().queryParam("size", 100)
                .get("/api/v1/sweeps/{id}/runs", sweep).then().statusCode(200).extract().jsonPath().getList("items");
        assertThat(runs).hasSize(TRIALS)
                .allSatisfy(r -> assertThat(r).containsEntry("state", "SUCCEEDED").containsEntry("attempt", 0));

        Set<String> expected = printedPoints(printed);
        assertThat(expected).as("what the trainers printed").hasSizeGreaterThanOrEqualTo(TRIALS * STEPS);
        // the agents flush their last batches after the trainers end: wait for them, then compare exactly
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> storedPoints().rows() >= expected.size());
        Stored stored = storedPoints();
        Set<String> lost = new HashSet<>(expected);
        lost.removeAll(stored.points());
        Set<String> extra = new HashSet<>(stored.points());
        extra.removeAll(expected);
        long duplicated = stored.rows() - stored.points().size();
        System.out.printf("[chaos] rounds %d (orchestrator SIGKILL, broker SIGKILL 15 s, database SIGKILL 30 s), runs %d"
                + " SUCCEEDED at attempt 0, points compared %d, lost %d, duplicated %d, unexpected %d%n", rounds,
                runs.size(), expected.size(), lost.size(), duplicated, extra.size());
        assertThat(lost).as("printed but not stored").isEmpty();
        assertThat(extra).as("stored but never printed").isEmpty();
        assertThat(duplicated).as("points stored more than once").isZero();

        List<Long> pids = trainerPids(printed);
        assertThat(pids).hasSize(TRIALS);
        await().atMost(Duration.ofSeconds(30)).until(() -> pids.stream()
                .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
        await().atMost(Duration.ofSeconds(30)).until(() -> agentsAlive().isEmpty());
    }

    private static void awaitPrintedAtLeast(Path printed, int lines) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> countPrinted(printed) >= lines);
    }

    private static int countPrinted(Path printed) {
        return printedPoints(printed).size();
    }

    /** Every point the trainers printed (their side files: "run attempt key step value"). */
    private static Set<String> printedPoints(Path printed) {
        Set<String> out = new HashSet<>();
        try (Stream<Path> files = Files.list(printed)) {
            for (Path f : files.toList()) {
                for (String line : Files.readAllLines(f)) {
                    String[] p = line.split(" ");
                    if (!line.startsWith("pid ") && p.length == 5) {
                        out.add(point(Long.parseLong(p[0]), Integer.parseInt(p[1]), p[2], Long.parseLong(p[3]),
                                Double.parseDouble(p[4])));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static List<Long> trainerPids(Path printed) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> files = Files.list(printed)) {
            for (Path f : files.toList()) {
                Files.readAllLines(f).stream().filter(l -> l.startsWith("pid ")).findFirst()
                        .ifPresent(l -> pids.add(Long.parseLong(l.substring(4).strip())));
            }
        }
        return pids;
    }

    /** Agents of this test still running (their trial directory is under this test's work directory). */
    private List<ProcessHandle> agentsAlive() {
        String work = root.resolve("work").toString();
        // the orchestrator's own command line names both (-Dreprise.local.agent-jar=…, -Dreprise.local.work-dir=…):
        // it is not an agent, and is alive until the test ends
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .filter(c -> !c.contains("-Dreprise.local.work-dir="))
                .map(c -> c.contains(work) && (c.contains("reprise-agent") || c.contains("reprise-trial")))
                .orElse(false)).toList();
    }

    private record Stored(long rows, Set<String> points) {
    }

    private Stored storedPoints() throws SQLException {
        Set<String> points = new HashSet<>();
        long rows = 0;
        try (Connection c = orchestrator.database(); PreparedStatement ps = c.prepareStatement("""
                select p.run_id, p.attempt, k.name, p.step, p.value from metric_points p
                join metric_keys k on k.id = p.key_id where k.name = 'loss'
                """); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows++;
                points.add(point(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getLong(4), rs.getDouble(5)));
            }
        }
        return new Stored(rows, points);
    }

    /** One point as a comparable string; the value by its exact bits (the trainer prints Python's round-trip repr). */
    private static String point(long run, int attempt, String key, long step, double value) {
        return run + " " + attempt + " " + key + " " + step + " " + Long.toHexString(Double.doubleToLongBits(value));
    }
}
