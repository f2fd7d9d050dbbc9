package dev.reprise.orchestrator.domain.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.reprise.agent.telemetry.NvidiaSmiCsv;
import dev.reprise.api.messages.GpuSample;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnergyTest {

    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    /** The real nvidia-smi lines (the agent's query on an H100), one sample a second, through the agent's parser. */
    static List<PowerSample> fixtureSamples() throws IOException {
        String csv;
        try (InputStream in = EnergyTest.class.getResourceAsStream("/nvidia-smi/h100-agent-query-under-load.csv")) {
            csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<GpuSample> parsed = NvidiaSmiCsv.parse(csv, NvidiaSmiCsv.QUERY_FIELDS);
        List<PowerSample> out = new ArrayList<>();
        for (int i = 0; i < parsed.size(); i++) {
            out.add(new PowerSample(T.plusSeconds(i), parsed.get(i).powerDrawW()));
        }
        return out;
    }

    @Test
    void integratesRealNvidiaSmiPowerSamplesByTheTrapezoidRule() throws IOException {
        // 72.16, 72.18, 72.12, 83.36, 634.07, 664.39 W, a second apart:
        // (72.17 + 72.15 + 77.74 + 358.715 + 649.23) J = 1230.005 J = 0.3416681 Wh
        assertThat(Energy.wattHours(fixtureSamples())).isCloseTo(1230.005 / 3600, within(1e-9));
    }

    @Test
    void sampleOrderDoesNotMatter() throws IOException {
        List<PowerSample> reversed = new ArrayList<>(fixtureSamples());
        java.util.Collections.reverse(reversed);

        assertThat(Energy.wattHours(reversed)).isCloseTo(Energy.wattHours(fixtureSamples()), within(1e-12));
    }

    @Test
    void neverExtrapolatesAndLeavesLongSilencesOut() {
        assertThat(Energy.wattHours(List.of(new PowerSample(T, 700)))).isZero();
        List<PowerSample> gap = List.of(new PowerSample(T, 100), new PowerSample(T.plusSeconds(60), 100),
                new PowerSample(T.plusSeconds(60 + 3600), 100), new PowerSample(T.plusSeconds(60 + 3600 + 36), 100));
        // 60 s and 36 s at 100 W; the hour without samples between them is not guessed
        assertThat(Energy.wattHours(gap)).isCloseTo(96 * 100 / 3600.0, within(1e-12));
    }

    @Test
    void eachGpuIsIntegratedOnItsOwnSamples() {
        List<PowerSample> a = List.of(new PowerSample(T, 300), new PowerSample(T.plusSeconds(36), 300));
        List<PowerSample> b = List.of(new PowerSample(T.plusSeconds(10), 100), new PowerSample(T.plusSeconds(46), 100));

        assertThat(Energy.wattHours(List.of(a, b))).isCloseTo(3.0 + 1.0, within(1e-12));
    }

    @Test
    void ignoresReadingsThatAreNotPower() {
        List<PowerSample> s = List.of(new PowerSample(T, 100), new PowerSample(T.plusSeconds(18), Double.NaN),
                new PowerSample(T.plusSeconds(36), 100));

        assertThat(Energy.wattHours(s)).isCloseTo(1.0, within(1e-12));
    }
}
