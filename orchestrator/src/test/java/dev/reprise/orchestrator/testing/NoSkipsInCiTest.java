package dev.reprise.orchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class NoSkipsInCiTest {

    @Test
    void inCiAWouldBeSkipIsAFailureThatSaysWhy() {
        TestAbortedException skip = new TestAbortedException("Assumption failed: no broker");
        assertThatThrownBy(() -> NoSkipsInCi.skipOrFail(skip, true)).isInstanceOf(AssertionError.class)
                .hasMessage("would be skipped, which CI does not allow: Assumption failed: no broker")
                .hasCause(skip);
    }

    @Test
    void aFailedHelperAssumptionSkipsOutsideCiAndFailsInCi() {
        NoSkipsInCi.assume(true, "holds");
        Class<? extends Throwable> expected = NoSkipsInCi.inCi() ? AssertionError.class : TestAbortedException.class;
        assertThatThrownBy(() -> NoSkipsInCi.assume(false, "no broker")).isInstanceOf(expected)
                .hasMessageContaining("no broker");
    }

    @Test
    void outsideCiTheSkipStaysASkip() {
        TestAbortedException skip = new TestAbortedException("no browser");
        assertThat(NoSkipsInCi.skipOrFail(skip, false)).isSameAs(skip);
    }

    @Test
    void everyTestOfThisModuleGoesThroughIt() throws Exception {
        // auto-detection is on through quarkus-junit's junit-platform.properties (a file of our own would replace it)
        assertThat(getClass().getClassLoader().getResources("junit-platform.properties").asIterator())
                .toIterable().hasSize(1);
        assertThat(new String(getClass().getClassLoader().getResourceAsStream("junit-platform.properties")
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("junit.jupiter.extensions.autodetection.enabled=true");
        assertThat(Files.readString(Path.of(
                "src/test/resources/META-INF/services/org.junit.jupiter.api.extension.Extension")).strip())
                .isEqualTo(NoSkipsInCi.class.getName());
    }
}
