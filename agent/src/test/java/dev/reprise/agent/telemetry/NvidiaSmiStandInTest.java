package dev.reprise.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.agent.AgentLog;
import dev.reprise.agent.report.Reporter;
import dev.reprise.agent.report.RunContext;
import dev.reprise.api.messages.GpuSample;
import dev.reprise.api.messages.MetricBatch;
import dev.reprise.api.messages.RunEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nvidia-smi as it answers on a real H100 (captured output, test resources nvidia-smi/) and as it fails: stand-in
 * executables that exit non-zero, hang past the timeout or find no devices. Heartbeats go out in every case.
 */
class NvidiaSmiStandInTest {

    @TempDir
    Path dir;

    private NvidiaSmi standIn(String script, Duration timeout) throws IOException {
        Path exe = dir.resolve("nvidia-smi");
        Files.writeString(exe, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwx------"));
        assertThat(NvidiaSmi.find(dir.toString())).isPresent();
        return new NvidiaSmi(exe, timeout);
    }

    /** A stand-in that answers with a real capture of the agent's own query on an H100 (fifth line: under load). */
    private static String realUnderLoad() throws URISyntaxException {
        Path csv = Path.of(NvidiaSmiStandInTest.class.getResource("/nvidia-smi/h100-agent-query-under-load.csv")
                .toURI());
        return "sed -n 5p '" + csv + "'";
    }

    @Test
    void theRealOutputOfAnH100UnderLoadBecomesOneSample() throws Exception {
        NvidiaSmi smi = standIn(realUnderLoad(), Duration.ofSeconds(10));

        NvidiaSmi.Query q = smi.query();

        assertThat(q.failure()).isEmpty();
        assertThat(NvidiaSmi.samples(q)).containsExactly(new GpuSample(0, "GPU-d6958cfd-0efa-5aad-0b4b-a26b0adc174e",
                "NVIDIA H100 80GB HBM3", 100, 1395L, 81559L, 634.07, 52, 1980));
    }

    @Test
    void aNonZeroExitIsAFailureWithItsMessage() throws Exception {
        NvidiaSmi smi = standIn("echo \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\""
                + " >&2; exit 9", Duration.ofSeconds(10));

        NvidiaSmi.Query q = smi.query();

        assertThat(q.csv()).isEmpty();
        assertThat(q.failure()).hasValueSatisfying(f -> assertThat(f).endsWith("exited with 9: NVIDIA-SMI has failed"
                + " because it couldn't communicate with the NVIDIA driver."));
    }

    @Test
    void noAnswerWithinTheTimeoutIsAFailureAndTheProcessIsKilled() throws Exception {
        Path pid = dir.resolve("pid");
        NvidiaSmi smi = standIn("echo $$ > '" + pid + "'; exec sleep 60", Duration.ofMillis(500));

        NvidiaSmi.Query q = smi.query();

        assertThat(q.failure()).hasValueSatisfying(f -> assertThat(f).endsWith("did not answer within 500 ms"));
        long hung = Long.parseLong(Files.readString(pid).strip());
        ProcessHandle.of(hung).ifPresent(p -> assertThat(p.onExit()).succeedsWithin(Duration.ofSeconds(10)));
    }

    @Test
    void noDevicesIsAFailureThatSaysSo() throws Exception {
        NvidiaSmi smi = standIn("echo 'No devices were found'; exit 6", Duration.ofSeconds(10));

        NvidiaSmi.Query q = smi.query();

        assertThat(q.csv()).isEmpty();
        assertThat(q.failure()).hasValueSatisfying(f -> assertThat(f)
                .endsWith("found no GPU (\"No devices were found\", exit 6)"));
    }

    @Test
    void heartbeatsGoOutWithTheirCpuSampleWhenNvidiaSmiFailsAndTheFailureIsSaidOnce() throws Exception {
        NvidiaSmi smi = standIn("echo 'No devices were found'; exit 6", Duration.ofSeconds(10));
        Recording reporter = new Recording();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ProcessTreeSampler tree = new ProcessTreeSampler(ProcessHandle.current(), Path.of("/proc"));
        try (Heartbeats beats = new Heartbeats(new RunContext(7, 0, "agent-1"), reporter, tree, Optional.of(smi),
                new AgentLog(new PrintStream(err, true, StandardCharsets.UTF_8)))) {
            beats.beat();
            beats.beat();
        }

        assertThat(reporter.heartbeats()).hasSize(2).allSatisfy(h -> {
            assertThat(h.gpus()).isEmpty();
            assertThat(h.cpuSeconds()).isPositive();
            assertThat(h.rssBytes()).isPositive();
        });
        assertThat(reporter.heartbeats().get(1).cpuPercent()).isNotNull();
        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).singleElement().asString()
                .startsWith("[reprise-agent] no GPU telemetry: ").contains("found no GPU");
    }

    @Test
    void aHeartbeatGoesOutEvenWhenTheCpuSamplerFails() {
        Recording reporter = new Recording();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ProcessTreeSampler broken = new ProcessTreeSampler(null, Path.of("/proc"));
        try (Heartbeats beats = new Heartbeats(new RunContext(7, 0, "agent-1"), reporter, broken, Optional.empty(),
                new AgentLog(new PrintStream(err, true, StandardCharsets.UTF_8)))) {
            beats.beat();
        }

        assertThat(reporter.heartbeats()).singleElement().satisfies(h -> {
            assertThat(h.cpuPercent()).isNull();
            assertThat(h.processCount()).isZero();
        });
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot sample the training process's CPU");
    }

    private static final class Recording implements Reporter {
        private final List<RunEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void metrics(MetricBatch batch) {
        }

        @Override
        public void event(RunEvent event) {
            events.add(event);
        }

        @Override
        public boolean flush(Duration timeout) {
            return true;
        }

        @Override
        public void close() {
        }

        List<RunEvent.Heartbeat> heartbeats() {
            return events.stream().filter(RunEvent.Heartbeat.class::isInstance).map(RunEvent.Heartbeat.class::cast)
                    .toList();
        }
    }
}
