package dev.reprise.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.api.messages.StopReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {

    @TempDir
    Path dir;

    @Test
    void propagatesExitCodeAndPassesExtraEnvironment() throws Exception {
        ChildProcess child = ChildProcess.start(List.of("sh", "-c", "echo $REPRISE_RUN_ID; exit 3"),
                Map.of("REPRISE_RUN_ID", "42"), Duration.ofSeconds(5));

        String out = new String(child.stdout().readAllBytes(), StandardCharsets.UTF_8);
        int code = child.waitFor();

        assertThat(out).isEqualTo("42\n");
        assertThat(code).isEqualTo(3);
        assertThat(child.stopReason(code)).isEqualTo(StopReason.FAILED);
        assertThat(child.stopReason(0)).isEqualTo(StopReason.COMPLETED);
    }

    @Test
    void forwardsTermAndReportsTerminated() throws Exception {
        ChildProcess child = ChildProcess.start(
                List.of("sh", "-c", "trap 'echo got TERM; exit 143' TERM; echo ready; while :; do sleep 0.05; done"),
                Map.of(), Duration.ofSeconds(30));
        awaitLine(child, "ready");

        child.requestStop("TERM");
        String lastWords = new String(child.stdout().readAllBytes(), StandardCharsets.UTF_8);
        int code = child.waitFor();

        assertThat(lastWords).isEqualTo("got TERM\n");
        assertThat(code).isEqualTo(143);
        assertThat(child.stopReason(code)).isEqualTo(StopReason.TERMINATED);
        assertThat(ChildProcess.signalOf(code)).isEqualTo(15);
    }

    @Test
    void forwardsIntAsInt() throws Exception {
        // Python installs its handler even when SIGINT was ignored on entry (as it is under `nohup ... &`),
        // where a shell's trap would not take effect and the test would depend on how it was started.
        ChildProcess child = ChildProcess.start(
                List.of("python3", "-c", "import signal, sys, time\n"
                        + "signal.signal(signal.SIGINT, lambda *a: sys.exit(42))\n"
                        + "signal.signal(signal.SIGTERM, lambda *a: sys.exit(43))\n"
                        + "print('ready', flush=True)\n"
                        + "while True: time.sleep(0.05)\n"),
                Map.of(), Duration.ofSeconds(30));
        awaitLine(child, "ready");

        child.requestStop("INT");

        assertThat(child.waitFor()).isEqualTo(42);
        assertThat(child.stopReason(42)).isEqualTo(StopReason.TERMINATED);
    }

    @Test
    void killsTheProcessTreeWhenTheGracePeriodRunsOut() throws Exception {
        ChildProcess child = ChildProcess.start(
                List.of("sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.05; done"),
                Map.of(), Duration.ofMillis(300));
        awaitLine(child, "ready");

        child.requestStop("TERM");
        int code = child.waitFor();

        assertThat(code).isEqualTo(137);
        assertThat(child.stopReason(code)).isEqualTo(StopReason.KILLED);
        assertThat(ChildProcess.signalOf(code)).isEqualTo(9);
    }

    @Test
    void reportsSignalDeathNobodyAskedForAsFailed() throws Exception {
        ChildProcess child = ChildProcess.start(List.of("sh", "-c", "kill -KILL $$"), Map.of(), Duration.ofSeconds(5));

        int code = child.waitFor();

        assertThat(code).isEqualTo(137);
        assertThat(child.stopReason(code)).isEqualTo(StopReason.FAILED);
    }

    @Test
    void failsWith127WhenTheCommandDoesNotExist() {
        assertThatThrownBy(() -> ChildProcess.start(List.of("no-such-command-reprise"), Map.of(), Duration.ZERO))
                .isInstanceOfSatisfying(LaunchFailure.class, f -> {
                    assertThat(f.exitCode()).isEqualTo(127);
                    assertThat(f.getMessage()).contains("no-such-command-reprise", "not found");
                });
    }

    @Test
    void failsWith126WhenTheCommandIsNotExecutable() throws IOException {
        Path script = Files.writeString(dir.resolve("train.sh"), "#!/bin/sh\necho hi\n");

        assertThatThrownBy(() -> ChildProcess.start(List.of(script.toString()), Map.of(), Duration.ZERO))
                .isInstanceOfSatisfying(LaunchFailure.class, f -> assertThat(f.exitCode()).isEqualTo(126));
    }

    @Test
    void mapsOnlyExitCodesAbove128ToSignals() {
        assertThat(ChildProcess.signalOf(0)).isNull();
        assertThat(ChildProcess.signalOf(1)).isNull();
        assertThat(ChildProcess.signalOf(128)).isNull();
        assertThat(ChildProcess.signalOf(130)).isEqualTo(2);
        assertThat(ChildProcess.signalOf(255)).isNull();
    }

    private static void awaitLine(ChildProcess child, String expected) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = child.stdout().read()) >= 0) {
            if (c == '\n') {
                if (line.toString().equals(expected)) {
                    return;
                }
                line.setLength(0);
            } else {
                line.append((char) c);
            }
        }
        throw new IOException("stream ended before '" + expected + "'");
    }
}
