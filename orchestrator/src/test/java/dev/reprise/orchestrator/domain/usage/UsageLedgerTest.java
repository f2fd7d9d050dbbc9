package dev.reprise.orchestrator.domain.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageLedgerTest {

    private static AttemptCharge charge(String project, String run, Accounting.Outcome outcome, double gpuSeconds) {
        return new AttemptCharge(Map.of(UsageGroup.PROJECT, project, UsageGroup.RUN, run), outcome,
                new UsageTotals(1, gpuSeconds, 0, 0));
    }

    @Test
    void sumsByTheKeyAndShowsPreemptedAndFailedAttemptsApart() {
        List<AttemptCharge> charges = List.of(
                charge("vision", "1", Accounting.Outcome.PREEMPTED, 100),
                charge("vision", "1", Accounting.Outcome.COMPLETED, 300),
                charge("vision", "2", Accounting.Outcome.FAILED, 50),
                charge("nlp", "3", Accounting.Outcome.COMPLETED, 20));

        List<UsageLedger.Line> lines = UsageLedger.sum(charges, UsageGroup.PROJECT);

        assertThat(lines).extracting(UsageLedger.Line::key).containsExactly("vision", "nlp");
        UsageLedger.Line vision = lines.get(0);
        assertThat(vision.total()).isEqualTo(new UsageTotals(3, 450, 0, 0));
        assertThat(vision.preempted()).isEqualTo(new UsageTotals(1, 100, 0, 0));
        assertThat(vision.failed()).isEqualTo(new UsageTotals(1, 50, 0, 0));
        assertThat(UsageLedger.total(charges).gpuSeconds()).isEqualTo(470);
    }
}
