package dev.reprise.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CloneValueTest {

    @Test
    void readsJsonValuesAsJsonAndAnythingElseAsAString() {
        assertThat(ReproCommands.Clone.value("0.1").isDouble()).isTrue();
        assertThat(ReproCommands.Clone.value("20").asInt()).isEqualTo(20);
        assertThat(ReproCommands.Clone.value("true").isBoolean()).isTrue();
        assertThat(ReproCommands.Clone.value("null").isNull()).isTrue();
        assertThat(ReproCommands.Clone.value("[1, 2]").isArray()).isTrue();
        assertThat(ReproCommands.Clone.value("digits:v4").asText()).isEqualTo("digits:v4");
        assertThat(ReproCommands.Clone.value("adam").asText()).isEqualTo("adam");
        assertThat(ReproCommands.Clone.value("0.1 or so").asText()).isEqualTo("0.1 or so");
    }
}
