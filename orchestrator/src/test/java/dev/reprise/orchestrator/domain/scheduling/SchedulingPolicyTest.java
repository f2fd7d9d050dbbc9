package dev.reprise.orchestrator.domain.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SchedulingPolicyTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    private static SweepDemand demand(long id, String project, int priority, int minutes, int parallelism,
            int active, int gpus, int readyCount) {
        List<Long> ready = LongStream.range(0, readyCount).map(i -> id * 1000 + i).boxed().toList();
        return new SweepDemand(id, project, "default", priority, T0.plusSeconds(60L * minutes), parallelism, active,
                gpus, ready);
    }

    private static List<Long> plan(QueuePolicy queue, QueueUsage usage, SweepDemand... demands) {
        return SchedulingPolicy.plan(Map.of(queue.name(), queue), Map.of(queue.name(), usage), List.of(demands));
    }

    @Test
    void respectsEachSweepsParallelism() {
        assertThat(plan(QueuePolicy.unlimited("default"), QueueUsage.NONE, demand(1, "a", 0, 0, 3, 1, 0, 10)))
                .containsExactly(1000L, 1001L);
    }

    @Test
    void respectsTheQueuesMaxRunning() {
        assertThat(plan(new QueuePolicy("default", 4, null), new QueueUsage(1, 0),
                demand(1, "a", 0, 0, 10, 0, 0, 10))).hasSize(3);
    }

    @Test
    void respectsTheQueuesGpuQuotaAndBackfillsSmallerTrials() {
        List<Long> plan = plan(new QueuePolicy("default", null, 8), new QueueUsage(0, 2),
                demand(1, "a", 5, 0, 10, 0, 4, 10),
                demand(2, "b", 0, 1, 10, 0, 1, 10));
        assertThat(plan).containsExactly(1000L, 2000L, 2001L);
    }

    @Test
    void launchesHigherPriorityFirst() {
        assertThat(plan(new QueuePolicy("default", 2, null), QueueUsage.NONE,
                demand(1, "a", 0, 0, 10, 0, 0, 10),
                demand(2, "a", 10, 5, 10, 0, 0, 10))).containsExactly(2000L, 2001L);
    }

    @Test
    void sharesFairlyAcrossProjectsOfEqualPriority() {
        List<Long> plan = plan(new QueuePolicy("default", 4, null), QueueUsage.NONE,
                demand(1, "vision", 0, 0, 10, 0, 0, 10),
                demand(2, "vision", 0, 1, 10, 0, 0, 10),
                demand(3, "nlp", 0, 2, 10, 0, 0, 10));
        assertThat(plan).containsExactly(1000L, 3000L, 1001L, 3001L);
    }

    @Test
    void servesSweepsOfOneProjectFirstInFirstOut() {
        List<Long> plan = plan(new QueuePolicy("default", 3, null), QueueUsage.NONE,
                demand(2, "a", 0, 5, 10, 0, 0, 10),
                demand(1, "a", 0, 0, 10, 0, 0, 10));
        assertThat(plan).containsExactly(1000L, 1001L, 1002L);
    }

    @Test
    void ignoresDemandsOfUnknownQueues() {
        SweepDemand elsewhere = new SweepDemand(1, "a", "gpu", 0, T0, 2, 0, 0, List.of(1L));
        assertThat(SchedulingPolicy.plan(Map.of("default", QueuePolicy.unlimited("default")), Map.of(),
                List.of(elsewhere))).isEmpty();
    }

    @Test
    void neverGrantsMoreThanAreReady() {
        assertThat(plan(QueuePolicy.unlimited("default"), QueueUsage.NONE, demand(1, "a", 0, 0, 100, 0, 0, 2)))
                .containsExactly(1000L, 1001L);
    }
}
