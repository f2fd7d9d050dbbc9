package dev.reprise.orchestrator.domain.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.domain.error.FieldError;
import org.junit.jupiter.api.Test;

class BudgetSpecTest {

    private static final String BASE = "name: b\nimage: python:3.12-slim\nprogram: train.py\nmethod: grid\n"
            + "parameters:\n  lr:\n    values: [0.1, 0.2]\n";

    @Test
    void aBudgetInGpuHoursIsReadAndWrittenBack() {
        SweepSpec spec = Specs.valid(BASE + "budget:\n  gpu_hours: 1.5\n");

        assertThat(spec.budgetGpuHours()).isEqualTo(1.5);
        assertThat(SpecTree.toTree(spec)).containsEntry("budget", java.util.Map.of("gpu_hours", 1.5));
        assertThat(Specs.PARSER.parse(SpecTree.toTree(spec), null)).isEqualTo(new SpecResult.Valid(spec));
    }

    @Test
    void noBudgetMeansNoLimit() {
        assertThat(Specs.valid(BASE).budgetGpuHours()).isNull();
        assertThat(SpecTree.toTree(Specs.valid(BASE))).doesNotContainKey("budget");
    }

    @Test
    void zeroNegativeMissingAndUnknownBudgetFieldsAreRefusedAtTheirPath() {
        assertThat(Specs.errors(BASE + "budget:\n  gpu_hours: 0\n")).extracting(FieldError::field)
                .containsExactly("budget.gpu_hours");
        assertThat(Specs.errors(BASE + "budget:\n  gpu_hours: -3\n")).extracting(FieldError::message)
                .containsExactly("must be greater than 0");
        assertThat(Specs.errors(BASE + "budget: {}\n")).extracting(FieldError::field)
                .containsExactly("budget.gpu_hours");
        assertThat(Specs.errors(BASE + "budget:\n  gpu_hours: 2\n  usd: 10\n")).extracting(FieldError::field)
                .containsExactly("budget.usd");
        assertThat(Specs.errors(BASE + "budget:\n  gpu_hours: lots\n")).extracting(FieldError::field)
                .containsExactly("budget.gpu_hours");
    }
}
