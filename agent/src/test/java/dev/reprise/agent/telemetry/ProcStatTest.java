package dev.reprise.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcStatTest {

    @Test
    void readsUserPlusSystemTicksEvenWithSpacesAndParensInTheName() {
        String stat = "4242 (python3 (train) x) S 1 4242 4242 0 -1 4194304 1000 0 0 0 250 50 0 0 20 0 8 0 123 "
                + "1000000 2000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 3 0 0 0 0 0";

        assertThat(ProcStat.cpuTicks(stat)).hasValue(300);
    }

    @Test
    void refusesTruncatedStatLines() {
        assertThat(ProcStat.cpuTicks("4242 (x) S 1 2")).isEmpty();
        assertThat(ProcStat.cpuTicks("garbage")).isEmpty();
    }

    @Test
    void readsResidentMemoryFromStatus() {
        String status = "Name:\tpython3\nVmPeak:\t  900000 kB\nVmRSS:\t  123456 kB\nThreads:\t8\n";

        assertThat(ProcStat.rssBytes(status)).hasValue(123456L * 1024);
        assertThat(ProcStat.rssBytes("Name:\tzombie\nState:\tZ\n")).isEmpty();
    }

    @Test
    void samplesARealProcessTreeFromProc() {
        ProcessTreeSampler sampler = new ProcessTreeSampler(ProcessHandle.current(), Path.of("/proc"));

        ProcessTreeSampler.Usage first = sampler.sample();
        ProcessTreeSampler.Usage second = sampler.sample();

        assertThat(first.cpuPercent()).isNull();
        assertThat(first.rssBytes()).isPositive();
        assertThat(first.cpuSeconds()).isPositive();
        assertThat(first.processCount()).isPositive();
        assertThat(second.cpuPercent()).isNotNull().isNotNegative();
    }
}
