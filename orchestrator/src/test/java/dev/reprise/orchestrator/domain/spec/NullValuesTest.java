package dev.reprise.orchestrator.domain.spec;

import dev.reprise.orchestrator.domain.error.FieldError;
import static dev.reprise.orchestrator.domain.spec.Specs.errors;
import static dev.reprise.orchestrator.domain.spec.Specs.sweep;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Found by HostileInputFuzzTest: a null among categorical values was a 500, now it is a field error. */
class NullValuesTest {

    @Test
    void rejectsANullCategoricalValueAtItsIndex() {
        assertThat(errors(sweep("grid", "  lr: {values: [null, 0.01]}\n")))
                .containsExactly(new FieldError("parameters.lr.values[0]", "must be a string, number or boolean"));
    }
}
