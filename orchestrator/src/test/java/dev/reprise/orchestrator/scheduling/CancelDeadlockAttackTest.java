package dev.reprise.orchestrator.scheduling;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.execution.TrialObservation;
import dev.reprise.orchestrator.application.SweepService;
import dev.reprise.orchestrator.domain.security.Caller;
import dev.reprise.orchestrator.domain.security.Role;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue #22's cancel of a 10,000-run sweep, which once hit a PostgreSQL deadlock (500, sweep left RUNNING): the
 * scheduler claims the sweep's runs and the executor's observations start them, each in the opposite order to the
 * cancel (highest run id first), while the cancel locks the sweep and all its runs. With one lock order
 * ({@code RunRepository.LOCK_ORDER}: the sweep, then its runs by ascending id) no transaction waits for another in a
 * cycle.
 */
@QuarkusTest
class CancelDeadlockAttackTest {

    private static final int RUNS = 10_000;
    private static final int CHUNK = 250;

    @Inject
    SchedulerStore store;

    @Inject
    SweepService sweeps;

    @Inject
    RunLifecycle lifecycle;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void cancellingATenThousandRunSweepWhileItsRunsAreClaimedAndStartedNeverDeadlocksAndLeavesItCancelled()
            throws Exception {
        // the default queue launches nothing in tests: only this test's threads claim the runs. Submitted in process:
        // storing 10,000 runs can outlast the HTTP body timeout on a loaded machine, which is not what is tested here
        Map<String, Object> document = Map.of("name", "deadlock-" + UUID.randomUUID().toString().substring(0, 8),
                "image", "python:3.12-slim", "program", "train.py", "method", "random", "max_trials", RUNS,
                "parameters", Map.of("lr", Map.of("min", 0.001, "max", 0.1)));
        long sweep = sweeps.submit(document, document.toString(), "yaml", (String) null, new Caller("admin",
                Caller.Kind.BOOTSTRAP, Role.ADMIN, Map.of(), null, "bootstrap")).sweep().id;
        List<Long> descending = runIds(sweep);
        Collections.reverse(descending);
        assertThat(descending).hasSize(RUNS);

        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        int threads = 3;
        ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            int first = t;
            pool.submit(() -> {
                // each thread claims every third chunk, highest ids first, and starts what it claimed in that order
                for (int from = first * CHUNK; from < RUNS && failures.isEmpty(); from += threads * CHUNK) {
                    try {
                        List<TrialLaunch> launched = store.claim(descending.subList(from, Math.min(RUNS, from + CHUNK)));
                        for (TrialLaunch l : launched) {
                            lifecycle.observe(new TrialObservation.Running(l.runId(), l.attempt(), Instant.now(),
                                    "node-a", null));
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }
            });
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> count(sweep, "state in ('LAUNCHING', 'RUNNING')") > 0
                || !failures.isEmpty());

        given().post("/api/v1/sweeps/" + sweep + "/cancel").then().statusCode(200);
        pool.shutdown();
        assertThat(pool.awaitTermination(5, TimeUnit.MINUTES)).as("claimers ended").isTrue();

        assertThat(failures).as("deadlocks or other failures of the concurrent claims").isEmpty();
        given().get("/api/v1/sweeps/" + sweep).then().statusCode(200).body("status",
                org.hamcrest.Matchers.equalTo("CANCELLED"));
        assertThat(count(sweep, "state in ('QUEUED', 'LAUNCHING', 'RUNNING', 'PREEMPTED')")).as("runs still active")
                .isZero();
    }

    private List<Long> runIds(long sweep) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select id from runs where sweep_id = ? order by id")) {
            ps.setLong(1, sweep);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private long count(long sweep, String condition) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from runs where sweep_id = ? and " + condition)) {
            ps.setLong(1, sweep);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
