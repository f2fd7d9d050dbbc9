package dev.reprise.orchestrator.domain.search.stopping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StoppingSavingsTest {

    @Test
    void sumsTheStepsNotTrainedAgainstTheMaximumAndEstimatesGpuSecondsAtEachTrialsRate() {
        StoppingSavings.Summary s = StoppingSavings.of(100L, List.of(
                new StoppingSavings.Stopped(1, 0, 10L, 2, 50.0),     // 100 GPU-s for 10 steps: 900 more for 90
                new StoppingSavings.Stopped(2, 1, 25L, 2, 100.0)));  // 200 GPU-s for 25 steps: 600 more for 75
        assertThat(s.stoppedRuns()).isEqualTo(2);
        assertThat(s.stepsTrained()).isEqualTo(35);
        assertThat(s.stepsNotTrained()).isEqualTo(165);
        assertThat(s.gpuSecondsUsed()).isEqualTo(300.0);
        assertThat(s.gpuSecondsSaved()).isEqualTo(1500.0);
        assertThat(s.runs().get(0).gpuSecondsSaved()).isEqualTo(900.0);
    }

    @Test
    void leavesGpuFiguresUnknownWithoutGpusAndStepsUnknownWithoutAMaximum() {
        StoppingSavings.Summary cpu = StoppingSavings.of(18L, List.of(new StoppingSavings.Stopped(1, 0, 2L, 0, 30.0)));
        assertThat(cpu.stepsNotTrained()).isEqualTo(16);
        assertThat(cpu.gpuSecondsUsed()).isNull();
        assertThat(cpu.gpuSecondsSaved()).isNull();
        StoppingSavings.Summary open = StoppingSavings.of(null, List.of(new StoppingSavings.Stopped(1, 0, 2L, 1,
                30.0)));
        assertThat(open.stepsNotTrained()).isNull();
        assertThat(open.gpuSecondsUsed()).isEqualTo(30.0);
        assertThat(open.gpuSecondsSaved()).isNull();
    }

    @Test
    void aTrialStoppedBeforeItsFirstStepCountsEveryStepAsNotTrained() {
        StoppingSavings.Summary s = StoppingSavings.of(9L, List.of(new StoppingSavings.Stopped(1, 0, null, 1, 5.0)));
        assertThat(s.stepsTrained()).isZero();
        assertThat(s.stepsNotTrained()).isEqualTo(9);
        assertThat(s.runs().get(0).gpuSecondsSaved()).isNull();
    }
}
