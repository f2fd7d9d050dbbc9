package dev.reprise.orchestrator.scheduling;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

/**
 * "Nothing else happens", checked by the scheduler's own progress rather than a wall-clock window: after three more
 * completed rounds the scheduler has had two full rounds, started after the caller's action, to do what it should
 * not, however slow the machine.
 */
final class SchedulerRounds {

    private SchedulerRounds() {
    }

    static void awaitThreeMore(Scheduler scheduler) {
        long target = scheduler.completedRounds() + 3;
        await().atMost(Duration.ofSeconds(60)).until(() -> scheduler.completedRounds() >= target);
    }
}
