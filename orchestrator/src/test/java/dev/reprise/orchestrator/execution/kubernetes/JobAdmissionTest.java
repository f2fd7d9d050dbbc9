package dev.reprise.orchestrator.execution.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * When the start deadline of a distributed attempt counts, read from its Job as a 1.21+ server and Kueue leave it:
 * nothing while the Job is suspended (by its spec, or until the Job controller has seen the resumption), then from
 * the resumption.
 */
class JobAdmissionTest {

    static final Instant LAUNCHED = Instant.parse("2026-12-07T10:00:00Z");

    static Job job(Boolean suspend, String conditionStatus, String transition) {
        JobBuilder b = new JobBuilder().withNewMetadata().withName("t").endMetadata().withNewSpec()
                .withSuspend(suspend).endSpec();
        if (conditionStatus != null) {
            b.withNewStatus().addNewCondition().withType("Suspended").withStatus(conditionStatus)
                    .withLastTransitionTime(transition).endCondition().endStatus();
        }
        return b.build();
    }

    @Test
    void aJobThatWasNeverSuspendedCountsFromItsLaunch() {
        assertThat(JobAdmission.startDeadlineClock(job(null, null, null), LAUNCHED)).contains(LAUNCHED);
        assertThat(JobAdmission.startDeadlineClock(job(false, null, null), LAUNCHED)).contains(LAUNCHED);
    }

    @Test
    void aJobCreatedSuspendedHoldsTheClockBeforeTheControllerEvenSawIt() {
        assertThat(JobAdmission.held(job(true, null, null))).isTrue();
        assertThat(JobAdmission.startDeadlineClock(job(true, null, null), LAUNCHED)).isEmpty();
    }

    @Test
    void aJobSuspendedByKueueWhileItQueuesHoldsTheClock() {
        assertThat(JobAdmission.startDeadlineClock(job(true, "True", "2026-12-07T10:00:01Z"), LAUNCHED)).isEmpty();
    }

    @Test
    void anAdmittedJobWhoseResumptionTheControllerHasNotRecordedYetIsStillHeld() {
        // Kueue set spec.suspend to false a moment ago; the condition still says suspended: the hour it waited must
        // not count, so the clock waits for the controller's JobResumed
        assertThat(JobAdmission.startDeadlineClock(job(false, "True", "2026-12-07T10:00:01Z"), LAUNCHED)).isEmpty();
    }

    @Test
    void aResumedJobCountsFromItsResumption() {
        Job resumed = job(false, "False", "2026-12-07T11:30:00Z");
        assertThat(JobAdmission.held(resumed)).isFalse();
        assertThat(JobAdmission.resumedAt(resumed)).contains(Instant.parse("2026-12-07T11:30:00Z"));
        assertThat(JobAdmission.startDeadlineClock(resumed, LAUNCHED)).contains(Instant.parse("2026-12-07T11:30:00Z"));
    }

    @Test
    void aResumptionBeforeTheLaunchNeverMovesTheClockBackAndAnUnreadableOneIsIgnored() {
        assertThat(JobAdmission.startDeadlineClock(job(false, "False", "2026-12-07T09:00:00Z"), LAUNCHED))
                .contains(LAUNCHED);
        assertThat(JobAdmission.startDeadlineClock(job(false, "False", "yesterday"), LAUNCHED)).contains(LAUNCHED);
    }
}
