package dev.reprise.orchestrator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.execution.TrialObservation;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class PendingObservationsTest {

    private final List<TrialObservation> stored = new CopyOnWriteArrayList<>();
    private final List<TrialObservation> forgotten = new CopyOnWriteArrayList<>();
    private volatile RuntimeException failure;

    private final PendingObservations pending = new PendingObservations(o -> {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
        return stored.add(o);
    }, forgotten::add);

    private static RuntimeException databaseAway() {
        return new IllegalStateException("could not begin the transaction",
                new SQLException("Connection to 127.0.0.1:5432 refused.", "08001"));
    }

    private static TrialObservation succeeded(long run) {
        return new TrialObservation.Succeeded(run, 0, Instant.EPOCH, 0);
    }

    @Test
    void anObservationIsAppliedAtOnceWhileTheDatabaseAnswers() {
        pending.offer(succeeded(1));

        assertThat(stored).containsExactly(succeeded(1));
        assertThat(forgotten).containsExactly(succeeded(1));
        assertThat(pending.size()).isZero();
    }

    @Test
    void observationsThatCannotBeAppliedWhileTheDatabaseIsAwayAreKeptInOrderAndAppliedWhenItIsBack() {
        TrialObservation running = new TrialObservation.Running(1, 0, Instant.EPOCH, "n1", null);
        failure = databaseAway();
        pending.offer(running);
        pending.offer(succeeded(1));
        pending.offer(succeeded(2));

        assertThat(pending.drain()).isFalse();
        assertThat(stored).isEmpty();
        assertThat(forgotten).as("the executor keeps them until they are applied").isEmpty();
        assertThat(pending.size()).isEqualTo(3);

        failure = null;
        assertThat(pending.drain()).isTrue();
        assertThat(stored).containsExactly(running, succeeded(1), succeeded(2));
        assertThat(forgotten).containsExactly(running, succeeded(1), succeeded(2));
    }

    @Test
    void aNewObservationWaitsBehindTheKeptOnesEvenOnceTheDatabaseIsBack() {
        failure = databaseAway();
        pending.offer(succeeded(1));
        failure = null;

        pending.offer(succeeded(2));

        assertThat(stored).containsExactly(succeeded(1), succeeded(2));
    }

    @Test
    void anObservationThatFailsForAnotherReasonIsDroppedAndDoesNotBlockTheOthers() {
        failure = new IllegalArgumentException("unknown observation");
        pending.offer(succeeded(1));
        failure = null;
        pending.offer(succeeded(2));

        assertThat(stored).containsExactly(succeeded(2));
        assertThat(pending.size()).isZero();
    }

    @Test
    void connectionFailuresAreToldApartFromOtherErrors() {
        assertThat(PendingObservations.databaseAway(databaseAway())).isTrue();
        assertThat(PendingObservations.databaseAway(new RuntimeException("Unable to acquire JDBC Connection")))
                .isTrue();
        assertThat(PendingObservations.databaseAway(new RuntimeException(new SQLException("terminating connection"
                + " due to administrator command", "57P01")))).isTrue();
        assertThat(PendingObservations.databaseAway(new RuntimeException(new SQLException("duplicate key", "23505"))))
                .isFalse();
        assertThat(PendingObservations.databaseAway(new IllegalStateException("bug"))).isFalse();
    }
}
