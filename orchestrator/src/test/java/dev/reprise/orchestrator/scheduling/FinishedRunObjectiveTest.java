package dev.reprise.orchestrator.scheduling;

import static dev.reprise.orchestrator.scheduling.SchedulingTest.newName;
import static dev.reprise.orchestrator.scheduling.SchedulingTest.runs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.domain.run.RunState;
import dev.reprise.orchestrator.persistence.ObjectiveQueries;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The search reads a finished run's objective only once it is complete: the agent reports the attempt finished after
 * its last metric, so before that report is ingested the stored best value may miss the last epochs. A run whose
 * agent never reported counts after a grace period.
 */
@QuarkusTest
@TestProfile(SchedulerOffProfile.class)
class FinishedRunObjectiveTest {

    @Inject
    BayesSuggester suggester;

    @Inject
    ObjectiveQueries objectives;

    @Inject
    ObjectiveWriter objective;

    @Inject
    AgroalDataSource dataSource;

    private static int submit() {
        String yaml = "name: " + newName() + "\nimage: x\nprogram: t.py\nmethod: bayes\nseed: 5\nmax_trials: 4\n"
                + "parallelism: 2\nmetric: {name: loss}\nparameters:\n  x: {min: -5.0, max: 5.0}\n";
        return RestAssured.given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body(yaml).post("/api/v1/sweeps").then().statusCode(201)
                .extract().path("id");
    }

    private void finish(long runId, String finishedAt) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update runs set state = 'SUCCEEDED', finished_at = " + finishedAt + " where id = ?")) {
            ps.setLong(1, runId);
            ps.executeUpdate();
        }
    }

    private List<ObjectiveQueries.TrialRow> rows(int sweep) {
        return QuarkusTransaction.requiringNew().call(() -> objectives.trialRows(sweep, "loss", false,
                EnumSet.of(RunState.SUCCEEDED, RunState.STOPPED_EARLY), null, 0, Duration.ofSeconds(30)));
    }

    @Test
    void aFinishedRunsObjectiveCountsOnceItsAgentReportedTheAttemptFinishedOrAfterTheGracePeriod()
            throws SQLException {
        int sweep = submit();
        assertThat(QuarkusTransaction.requiringNew().call(() -> suggester.topUp(sweep))).isEqualTo(2);
        long reported = ((Number) runs(sweep).get(0).get("id")).longValue();
        long silent = ((Number) runs(sweep).get(1).get("id")).longValue();
        objective.record(reported, 0, "loss", 1, 0.7);
        objective.record(silent, 0, "loss", 1, 0.9);

        finish(reported, "now()");
        finish(silent, "now()");
        assertThat(rows(sweep)).extracting(ObjectiveQueries.TrialRow::settled)
                .as("finished, the last metrics possibly still on their way").containsExactly(false, false);

        objective.agentFinished(reported, 0);
        assertThat(rows(sweep)).extracting(ObjectiveQueries.TrialRow::settled).containsExactly(true, false);

        finish(silent, "now() - interval '31 seconds'");
        assertThat(rows(sweep)).extracting(ObjectiveQueries.TrialRow::settled).containsExactly(true, true);
        assertThat(rows(sweep)).extracting(ObjectiveQueries.TrialRow::best).containsExactly(0.7, 0.9);
    }
}
