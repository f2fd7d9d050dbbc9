package dev.reprise.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import dev.reprise.orchestrator.execution.Executor;
import dev.reprise.orchestrator.scheduling.StartDeadlineCheck;
import dev.reprise.orchestrator.scheduling.TestingExecutor;
import dev.reprise.orchestrator.security.TestCredentials;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The rendezvous of a distributed attempt against the real service and database (ADR 0008): no rank learns anything
 * before every rank registered, ranks and rank 0's address are the same for every asker, a pod past the attempt's
 * ranks and another run's token are refused, and an attempt whose ranks are not all up within the start deadline
 * fails with START_DEADLINE naming who is missing and is stopped (every pod released).
 */
@QuarkusTest
class DistributedRendezvousTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    StartDeadlineCheck startDeadline;

    @Inject
    TestingExecutor testing;

    /** A RUNNING run of a 2-node sweep, its attempt 0 launched {@code launchedAgo} ago. */
    private long runningDistributedRun(String launchedAgo) throws SQLException {
        int sweep = Sweeps.submitYaml(Sweeps.minimal(Sweeps.uniqueName(), "resources:\n  nodes: 2\n"))
                .statusCode(201).extract().path("id");
        long run = given().get("/api/v1/sweeps/{id}/runs", sweep).then().statusCode(200).extract().jsonPath()
                .getLong("items[0].id");
        sql("update runs set state = 'RUNNING', launched_at = now() - interval '" + launchedAgo + "' where id = "
                + run);
        sql("insert into run_attempts (run_id, attempt, state, launched_at) values (" + run + ", 0, 'RUNNING', now()"
                + " - interval '" + launchedAgo + "')");
        return run;
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate(statement)).isEqualTo(1);
        }
    }

    private static ValidatableResponse register(long run, String token, String pod, String ip) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body("{\"member\":\"" + pod + "\",\"address\":\"" + ip + "\",\"node\":\"node-" + pod + "\"}")
                .post("/api/v1/runs/{id}/attempts/0/rendezvous", run).then();
    }

    @Test
    void eachRankLearnsItsRankAndRankZerosAddressOnlyOnceEveryRankRegistered() throws SQLException {
        long run = runningDistributedRun("1 minute");
        String token = TestCredentials.runToken(run, 0);

        register(run, token, "trial-b", "10.1.0.7").statusCode(202).body("state", equalTo("WAITING"))
                .body("registered", equalTo(1)).body("nodes", equalTo(2)).body("masterAddr", nullValue());
        register(run, token, "trial-a", "10.1.0.5").statusCode(200).body("state", equalTo("READY"))
                .body("rank", equalTo(0)).body("masterAddr", equalTo("10.1.0.5")).body("masterPort", equalTo(29500));
        register(run, token, "trial-b", "10.1.0.7").statusCode(200).body("rank", equalTo(1))
                .body("masterAddr", equalTo("10.1.0.5"));
        register(run, token, "trial-c", "10.1.0.9").statusCode(409)
                .body("detail", containsString("already has its 2 ranks"));
    }

    @Test
    void anotherRunsTokenAndAnAttemptThatIsNotRunningAreRefused() throws SQLException {
        long run = runningDistributedRun("1 minute");
        long other = runningDistributedRun("1 minute");

        register(run, TestCredentials.runToken(other, 0), "trial-a", "10.1.0.5").statusCode(403);
        sql("update runs set state = 'SUCCEEDED', finished_at = now() where id = " + run);
        register(run, TestCredentials.runToken(run, 0), "trial-a", "10.1.0.5").statusCode(409)
                .body("detail", containsString("is not running"));
    }

    @Test
    void aBadAddressIsRefusedWithItsField() throws SQLException {
        long run = runningDistributedRun("1 minute");
        register(run, TestCredentials.runToken(run, 0), "trial-a", "10.1.0.5; rm -rf /").statusCode(400)
                .body("errors.field", hasItem("address"));
    }

    @Test
    void anAttemptWhoseRanksAreNotAllUpWithinTheStartDeadlineFailsNamingTheMissingRankAndIsStopped()
            throws SQLException {
        long late = runningDistributedRun("1 hour");
        long inTime = runningDistributedRun("1 minute");
        register(late, TestCredentials.runToken(late, 0), "trial-a", "10.1.0.5").statusCode(202);
        RendezvousBackend rendezvousBackend = new RendezvousBackend(Map.of());
        List<String> stopped = rendezvousBackend.stopped;

        startDeadline.check(rendezvousBackend);

        assertThat(stopped).contains(late + "/0").doesNotContain(inTime + "/0");
        given().get("/api/v1/runs/{id}", late).then().statusCode(200).body("state", equalTo("FAILED"))
                .body("failureCause", equalTo("START_DEADLINE"));
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select failure_cause, message from run_attempts where run_id = "
                        + late + " and attempt = 0")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).isEqualTo("START_DEADLINE");
            assertThat(r.getString(2)).contains("1 rank of 2 never registered (registered: trial-a on node-trial-a)")
                    .contains("every pod was released");
        }
        given().get("/api/v1/runs/{id}", inTime).then().body("state", equalTo("RUNNING"));
        assertThat(testing.rendezvous()).as("the testing executor places ranks itself, like the local one")
                .isFalse();
    }

    @Test
    void anAttemptItsBackendHoldsBackIsNeverOverdueAndOnceReleasedItsDeadlineCountsFromTheRelease()
            throws SQLException {
        long queued = runningDistributedRun("1 hour");
        long releasedLately = runningDistributedRun("1 hour");
        long releasedLongAgo = runningDistributedRun("1 hour");
        Instant longAgo = Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.SECONDS);
        // Kueue kept the first Job suspended all along; the second was admitted a minute ago, the third long ago
        RendezvousBackend backend = new RendezvousBackend(Map.of(queued, Optional.empty(),
                releasedLately, Optional.of(Instant.now().minus(Duration.ofMinutes(1))),
                releasedLongAgo, Optional.of(longAgo)));

        startDeadline.check(backend);

        assertThat(backend.stopped).contains(releasedLongAgo + "/0")
                .doesNotContain(queued + "/0", releasedLately + "/0");
        given().get("/api/v1/runs/{id}", queued).then().body("state", equalTo("RUNNING"));
        given().get("/api/v1/runs/{id}", releasedLately).then().body("state", equalTo("RUNNING"));
        given().get("/api/v1/runs/{id}", releasedLongAgo).then().body("state", equalTo("FAILED"))
                .body("failureCause", equalTo("START_DEADLINE"))
                .body("message", containsString("counted from " + longAgo + " when its Job was resumed"))
                .body("message", containsString("ranks 0, 1 of 2 never registered"));
    }

    /**
     * A backend whose ranks meet at the rendezvous (as the Kubernetes executor's do); records what it was asked to
     * stop. {@code clocks}: the start-deadline clock of a run's attempt where the backend held it back (empty: held
     * still); the launch for the others.
     */
    static final class RendezvousBackend implements Executor {

        final List<String> stopped = new ArrayList<>();
        private final Map<Long, Optional<Instant>> clocks;

        RendezvousBackend(Map<Long, Optional<Instant>> clocks) {
            this.clocks = clocks;
        }

        @Override
        public void start(dev.reprise.orchestrator.execution.TrialObserver observer) {
        }

        @Override
        public void launch(dev.reprise.orchestrator.execution.TrialLaunch launch) {
        }

        @Override
        public void stop(long runId, int attempt) {
            stopped.add(runId + "/" + attempt);
        }

        @Override
        public void stopSweep(long sweepId) {
        }

        @Override
        public List<TrialRef> list() {
            return List.of();
        }

        @Override
        public boolean rendezvous() {
            return true;
        }

        @Override
        public Optional<Instant> startDeadlineClock(long runId, int attempt, Instant launchedAt) {
            return clocks.getOrDefault(runId, Optional.ofNullable(launchedAt));
        }
    }
}
