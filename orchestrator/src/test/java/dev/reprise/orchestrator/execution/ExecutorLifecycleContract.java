package dev.reprise.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The run lifecycle every executor must give, tested once for all of them: the packaged orchestrator runs in a
 * process of its own ({@link OrchestratorProcess}) with the executor under test, and a {@link TrialWorld} plays the
 * part of what the trials run on (local processes; a real API server whose pods a fake kubelet drives). Each executor
 * has one subclass that only says how to build its world.
 */
public abstract class ExecutorLifecycleContract {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "LOST", "STOPPED_EARLY");

    /**
     * What trials run on, seen from outside the orchestrator. A trial runs until the test {@linkplain #release
     * releases} it with an exit code.
     */
    public interface TrialWorld extends AutoCloseable {
        /** Configuration properties that select and set up the executor. */
        Map<String, String> settings();

        /** Extra environment variables of the orchestrator process. */
        Map<String, String> environment();

        /** The trial command of the sweep, a YAML flow sequence. */
        String command();

        /** Lets the trial's training process end with {@code exitCode} (now, or as soon as it starts). */
        void release(long runId, int attempt, int exitCode);

        /** How many times each {@code runId/attempt} was started (a trial process, a Job) since the world began. */
        Map<String, Integer> executions();

        /** Whether the trial still exists (its process, its Job). */
        boolean live(long runId, int attempt);

        /** Whether the trial ran and ended (its process exited; its Job completed or failed). */
        boolean ended(long runId, int attempt);

        /** Whether a trial that ended stays visible (a Job until its TTL) rather than going away (a process). */
        boolean keepsFinishedTrials();

        @Override
        void close();
    }

    protected abstract TrialWorld newWorld();

    private TrialWorld world;
    private OrchestratorProcess orchestrator;

    @BeforeEach
    void startOrchestrator(TestInfo test) {
        world = newWorld();
        String name = getClass().getSimpleName() + "-" + test.getTestMethod().orElseThrow().getName();
        orchestrator = OrchestratorProcess.create(name, world.settings(), world.environment());
        orchestrator.start();
    }

    @AfterEach
    void stopEverything() {
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (world != null) {
            world.close();
        }
    }

    private int submit(int trials, int parallelism) {
        String values = IntStream.range(0, trials).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        String yaml = "name: lc-" + UUID.randomUUID().toString().substring(0, 8) + "\nimage: busybox:1.36\n"
                + "command: " + world.command() + "\nmethod: grid\nparallelism: " + parallelism + "\n"
                + "parameters:\n  i: {values: [" + values + "]}\n";
        return orchestrator.api().contentType("application/yaml").body(yaml).post("/api/v1/sweeps")
                .then().statusCode(201).extract().path("id");
    }

    private List<Map<String, Object>> runs(int sweepId) {
        return orchestrator.api().queryParam("size", 500).get("/api/v1/sweeps/{id}/runs", sweepId)
                .then().statusCode(200).extract().jsonPath().getList("items");
    }

    private String sweepStatus(int sweepId) {
        return orchestrator.api().get("/api/v1/sweeps/{id}", sweepId).then().statusCode(200).extract()
                .path("status");
    }

    private static long id(Map<String, Object> run) {
        return ((Number) run.get("id")).longValue();
    }

    private static int attempt(Map<String, Object> run) {
        return ((Number) run.get("attempt")).intValue();
    }

    private List<Map<String, Object>> awaitStates(int sweepId, Set<String> states) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> runs(sweepId).stream()
                .allMatch(r -> states.contains((String) r.get("state"))));
        return runs(sweepId);
    }

    @Test
    void runsTrialsToSuccessAndFailureWithTheirExitCodes() {
        int sweep = submit(2, 2);
        List<Map<String, Object>> running = awaitStates(sweep, Set.of("RUNNING"));
        world.release(id(running.get(0)), 0, 0);
        world.release(id(running.get(1)), 0, 3);

        List<Map<String, Object>> done = awaitStates(sweep, TERMINAL);
        assertThat(done.get(0)).containsEntry("state", "SUCCEEDED").containsEntry("exitCode", 0)
                .containsEntry("attempt", 0);
        assertThat(done.get(1)).containsEntry("state", "FAILED").containsEntry("exitCode", 3)
                .containsEntry("failureCause", "USER_ERROR");
        assertThat(done).allSatisfy(r -> assertThat(r.get("startedAt")).isNotNull())
                .allSatisfy(r -> assertThat(r.get("finishedAt")).isNotNull());
        await().atMost(WAIT).until(() -> TERMINAL.contains(sweepStatus(sweep)));
        assertThat(world.executions()).containsOnlyKeys(id(done.get(0)) + "/0", id(done.get(1)) + "/0")
                .allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1));
    }

    @Test
    void respectsParallelismAndStartsTheNextTrialAsOneEnds() {
        int sweep = submit(3, 2);
        await().atMost(WAIT).until(() -> world.executions().size() == 2);
        // nothing more starts while two run
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> world.executions().size() == 2);
        String first = world.executions().keySet().iterator().next();
        world.release(Long.parseLong(first.split("/")[0]), 0, 0);
        await().atMost(WAIT).until(() -> world.executions().size() == 3);
        runs(sweep).forEach(r -> world.release(id(r), 0, 0));
        assertThat(awaitStates(sweep, TERMINAL)).extracting(r -> r.get("state")).containsOnly("SUCCEEDED");
    }

    @Test
    void cancellingASweepStopsItsRunningTrials() {
        int sweep = submit(2, 2);
        List<Map<String, Object>> running = awaitStates(sweep, Set.of("RUNNING"));
        orchestrator.api().post("/api/v1/sweeps/{id}/cancel", sweep).then().statusCode(200);

        await().atMost(WAIT).until(() -> running.stream().noneMatch(r -> world.live(id(r), attempt(r))));
        assertThat(awaitStates(sweep, TERMINAL)).extracting(r -> r.get("state")).containsOnly("CANCELLED");
        assertThat(sweepStatus(sweep)).isEqualTo("CANCELLED");
    }

    /**
     * The orchestrator dies (SIGKILL, sometimes SIGTERM) at random moments of a sweep — right after it came up,
     * while it launches, right after trials ended — and a new instance takes over the same database and executor.
     * Whatever the moment, every trial runs exactly once and none is lost.
     */
    @Test
    void aRestartAtAnyMomentKeepsExactlyOneExecutionPerTrialAndLosesNone() {
        long seed = Long.getLong("reprise.lifecycle.seed", System.nanoTime());
        Random random = new Random(seed);
        int trials = 8;
        int parallelism = 3;
        int sweep = submit(trials, parallelism);
        Set<String> released = new java.util.HashSet<>();
        for (int stop = 0; stop < 4; stop++) {
            // a few more launches (0 = stop right after the new instance came up), as many as free slots allow
            int want = Math.min(Math.min(trials, released.size() + parallelism),
                    world.executions().size() + random.nextInt(3));
            await().atMost(WAIT).until(() -> world.executions().size() >= want);
            for (String key : world.executions().keySet()) {
                if (!released.contains(key) && random.nextBoolean()) {
                    release(key, released);
                }
            }
            boolean graceful = random.nextInt(4) == 0;
            if (graceful) {
                orchestrator.stop();
            } else {
                orchestrator.kill();
            }
            world.executions().keySet().stream().filter(k -> !released.contains(k)).findFirst()
                    .filter(k -> random.nextBoolean()).ifPresent(k -> release(k, released)); // ends while down
            orchestrator.start();
        }
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
            world.executions().keySet().stream().filter(k -> !released.contains(k)).forEach(k -> release(k, released));
            return runs(sweep).stream().allMatch(r -> TERMINAL.contains((String) r.get("state")));
        });

        List<Map<String, Object>> runs = runs(sweep);
        String context = "seed " + seed + " (-Dreprise.lifecycle.seed to repeat), " + orchestrator.instances()
                + " instances";
        assertThat(runs).as(context).hasSize(trials)
                .allSatisfy(r -> assertThat(r).containsEntry("state", "SUCCEEDED").containsEntry("attempt", 0));
        Map<String, Integer> executions = world.executions();
        assertThat(executions).as(context).hasSize(trials)
                .containsOnlyKeys(runs.stream().map(r -> id(r) + "/0").toList())
                .allSatisfy((k, n) -> assertThat(n).as(context + ": executions of " + k).isEqualTo(1));
        assertThat(sweepStatus(sweep)).isEqualTo("SUCCEEDED");
        if (world.keepsFinishedTrials()) {
            assertThat(runs).as(context + ": no new instance removed a finished trial")
                    .allSatisfy(r -> assertThat(world.live(id(r), 0)).as("trial of run " + id(r)).isTrue());
        }
    }

    /**
     * PostgreSQL dies (SIGKILL) while trials run; they finish while it is away, and it comes back 30 s later. Every
     * run is recorded SUCCEEDED on attempt 0 and no trial ran twice: what the executor saw while the database was away
     * was kept and applied once it answered again, not dropped (which made the reconciler re-run finished trials).
     */
    @Test
    void trialsThatEndWhileTheDatabaseIsAwayAreRecordedWhenItIsBackAndNeverRunAgain() {
        int trials = 4;
        int sweep = submit(trials, trials);
        List<Map<String, Object>> running = awaitStates(sweep, Set.of("RUNNING"));
        try (PostgresOutage outage = PostgresOutage.begin()) {
            running.forEach(r -> world.release(id(r), 0, 0));
            await().atMost(WAIT).until(() -> running.stream().allMatch(r -> world.ended(id(r), 0)));
            outage.holdFor(Duration.ofSeconds(30));
        }

        List<Map<String, Object>> done = awaitStates(sweep, TERMINAL);
        assertThat(done).hasSize(trials)
                .allSatisfy(r -> assertThat(r).containsEntry("state", "SUCCEEDED").containsEntry("attempt", 0));
        assertThat(world.executions()).hasSize(trials).allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1));
        await().atMost(WAIT).until(() -> "SUCCEEDED".equals(sweepStatus(sweep)));
    }

    /**
     * Two live replicas on one database: only the holder of the leader lock schedules; when it is killed (SIGKILL) the
     * other takes over, adopts the running trials and finishes the sweep; no trial is launched twice.
     */
    @Test
    void twoReplicasScheduleAsOneAndTheSurvivorTakesOverWhenTheLeaderIsKilled() {
        String leaderLine = "this instance is now the scheduler leader";
        try (OrchestratorProcess replica = orchestrator.replica(getClass().getSimpleName() + "-replica")) {
            replica.start();
            int trials = 4;
            int sweep = submit(trials, 2);
            await().atMost(WAIT).until(() -> world.executions().size() == 2);
            assertThat(orchestrator.logged(leaderLine) ^ replica.logged(leaderLine)).as("exactly one leader").isTrue();
            OrchestratorProcess leader = orchestrator.logged(leaderLine) ? orchestrator : replica;
            OrchestratorProcess survivor = leader == orchestrator ? replica : orchestrator;

            leader.kill();
            await().atMost(WAIT).until(() -> survivor.logged(leaderLine));
            Set<String> released = new java.util.HashSet<>();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
                world.executions().keySet().stream().filter(k -> !released.contains(k))
                        .forEach(k -> release(k, released));
                return survivor.api().queryParam("size", 500).get("/api/v1/sweeps/{id}/runs", sweep).then()
                        .statusCode(200).extract().jsonPath().<Map<String, Object>>getList("items").stream()
                        .allMatch(r -> TERMINAL.contains((String) r.get("state")));
            });

            List<Map<String, Object>> runs = survivor.api().queryParam("size", 500)
                    .get("/api/v1/sweeps/{id}/runs", sweep).then().statusCode(200).extract().jsonPath()
                    .getList("items");
            assertThat(runs).hasSize(trials)
                    .allSatisfy(r -> assertThat(r).containsEntry("state", "SUCCEEDED").containsEntry("attempt", 0));
            assertThat(world.executions()).hasSize(trials)
                    .allSatisfy((k, n) -> assertThat(n).as("launches of " + k).isEqualTo(1));
        }
    }

    private void release(String key, Set<String> released) {
        String[] parts = key.split("/");
        world.release(Long.parseLong(parts[0]), Integer.parseInt(parts[1]), 0);
        released.add(key);
    }
}
