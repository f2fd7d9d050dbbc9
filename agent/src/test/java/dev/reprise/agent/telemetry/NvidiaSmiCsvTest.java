package dev.reprise.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.api.messages.GpuSample;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NvidiaSmiCsvTest {

    /** The fields of the captured fixtures (see src/test/resources/nvidia-smi/README.md). */
    private static final List<String> FIXTURE_FIELDS = List.of("index", "uuid", "name", "utilization.gpu",
            "utilization.memory", "memory.used", "memory.total", "power.draw", "power.limit", "temperature.gpu",
            "clocks.sm");

    private static final String UUID = "GPU-d000d6a3-8bfb-d4c7-1fef-79e9aa44d1ba";

    @Test
    void parsesIdleH100Sample() throws IOException {
        List<GpuSample> samples = NvidiaSmiCsv.parse(fixture("idle-noheader-nounits.csv"), FIXTURE_FIELDS);

        assertThat(samples).containsExactly(
                new GpuSample(0, UUID, "NVIDIA H100 80GB HBM3", 0, 0L, 81559L, 71.76, 39, 345));
    }

    @Test
    void parsesHeaderAndUnitsFormat() throws IOException {
        List<GpuSample> samples = NvidiaSmiCsv.parse(fixture("idle-with-header.csv"), List.of());

        assertThat(samples).containsExactly(
                new GpuSample(0, UUID, "NVIDIA H100 80GB HBM3", 0, 0L, 81559L, 71.78, 39, 345));
    }

    @Test
    void showsLoadThroughPowerClockAndMemoryWhileUtilisationReadsZero() throws IOException {
        List<GpuSample> samples = NvidiaSmiCsv.parse(fixture("under-load-noheader-nounits.csv"), FIXTURE_FIELDS);

        assertThat(samples).hasSize(5);
        assertThat(samples).extracting(GpuSample::utilizationGpuPercent).containsOnly(0);
        GpuSample first = samples.get(0);
        GpuSample last = samples.get(samples.size() - 1);
        assertThat(last.powerDrawW()).isGreaterThan(first.powerDrawW() + 40);
        assertThat(last.smClockMHz()).isEqualTo(1980);
        assertThat(last.memoryUsedMiB()).isEqualTo(1041L);
        assertThat(last.temperatureC()).isEqualTo(40);
    }

    @Test
    void parsesRealOutputOfTheAgentsOwnQuery() throws IOException {
        List<GpuSample> samples = NvidiaSmiCsv.parse(fixture("h100-agent-query-under-load.csv"),
                NvidiaSmiCsv.QUERY_FIELDS);

        assertThat(samples).hasSize(6);
        assertThat(samples.get(0)).isEqualTo(new GpuSample(0, "GPU-d6958cfd-0efa-5aad-0b4b-a26b0adc174e",
                "NVIDIA H100 80GB HBM3", 0, 0L, 81559L, 72.16, 34, 345));
        assertThat(samples.get(5)).isEqualTo(new GpuSample(0, "GPU-d6958cfd-0efa-5aad-0b4b-a26b0adc174e",
                "NVIDIA H100 80GB HBM3", 100, 1395L, 81559L, 664.39, 53, 1980));
    }

    @Test
    void parsesTheAgentsOwnQueryOrder() {
        String csv = "0, GPU-a, NVIDIA H100 80GB HBM3, 87, 1041, 81559, 119.50, 40, 1980\n"
                + "1, GPU-b, NVIDIA H100 80GB HBM3, 3, 10, 81559, 70.10, 35, 345\n";

        List<GpuSample> samples = NvidiaSmiCsv.parse(csv, NvidiaSmiCsv.QUERY_FIELDS);

        assertThat(samples).containsExactly(
                new GpuSample(0, "GPU-a", "NVIDIA H100 80GB HBM3", 87, 1041L, 81559L, 119.5, 40, 1980),
                new GpuSample(1, "GPU-b", "NVIDIA H100 80GB HBM3", 3, 10L, 81559L, 70.1, 35, 345));
    }

    @Test
    void turnsNotAvailableAndNotSupportedIntoNull() {
        String csv = "0, MIG-1c2d, NVIDIA A100-SXM4-40GB MIG 1g.5gb, [N/A], [N/A], 4864, [Not Supported],"
                + " [Unknown Error], N/A\n";

        List<GpuSample> samples = NvidiaSmiCsv.parse(csv, NvidiaSmiCsv.QUERY_FIELDS);

        assertThat(samples).containsExactly(
                new GpuSample(0, "MIG-1c2d", "NVIDIA A100-SXM4-40GB MIG 1g.5gb", null, null, 4864L, null, null, null));
    }

    @Test
    void keepsACommaInsideTheProductName() {
        String csv = "2, GPU-c, Weird, Inc. GPU, 5, 1, 2, 3.5, 30, 900";

        assertThat(NvidiaSmiCsv.parse(csv, NvidiaSmiCsv.QUERY_FIELDS)).singleElement()
                .satisfies(s -> {
                    assertThat(s.name()).isEqualTo("Weird, Inc. GPU");
                    assertThat(s.smClockMHz()).isEqualTo(900);
                });
    }

    @Test
    void skipsBlankAndBrokenLines() {
        String csv = "\n  \nNo devices were found\n[N/A], GPU-x, name, 1, 1, 1, 1, 1, 1\n";

        assertThat(NvidiaSmiCsv.parse(csv, NvidiaSmiCsv.QUERY_FIELDS)).isEmpty();
    }

    @Test
    void findsNoNvidiaSmiOnAPathWithoutIt() {
        assertThat(NvidiaSmi.find("/nonexistent-dir:")).isEmpty();
        assertThat(NvidiaSmi.find(null)).isEmpty();
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = NvidiaSmiCsvTest.class.getResourceAsStream("/nvidia-smi/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
