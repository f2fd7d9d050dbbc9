package dev.reprise.cli.command;

import static dev.reprise.cli.Reprise.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.cli.Reprise;
import dev.reprise.cli.Reprise.Result;
import dev.reprise.cli.ScriptedServerTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsCommandTest extends ScriptedServerTest {

    @BeforeEach
    void environment() {
        server.replyJson("GET", "/api/v1/runs/345/metrics", 200, fixture("responses/run-metrics.json"));
        server.replyJson("GET", "/api/v1/runs/345/metrics/train/loss", 200, fixture("responses/metric-series.json"));
    }

    @Test
    void listsEveryKeyWithItsSummaryThenTheAgentAndRefusedInput() {
        Result result = Reprise.run(env, "metrics", "345");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("""
                KEY               POINTS   LAST STEP     LAST      MIN   MAX
                sys/cpu.percent       12          11     97.5     3.25   101.0
                train/loss           200         199   0.0001   0.0001   Infinity
                Attempt 0: last heartbeat 2026-11-26T18:02:05Z, ended COMPLETED (exit 0)
                Refused by the ingest: 2 x key longer than 256 characters (e.g. kkkk…)
                """);
    }

    @Test
    void printsOneKeysSeriesAndSaysWhenItWasDownsampled() {
        Result result = Reprise.run(env, "metrics", "345", "train/loss", "--max-points", "3", "--from", "0");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(server.onlyRequest().path()).isEqualTo("/api/v1/runs/345/metrics/train/loss");
        assertThat(server.onlyRequest().query()).containsExactly(Map.entry("max_points", "3"), Map.entry("from", "0"));
        assertThat(result.out()).isEqualTo("""
                  STEP   VALUE
                     0   2.5
                499999   NaN
                999999   0.0001
                3 of 1000000 points (lowest and highest of each step bucket), attempt 1
                """);
    }

    @Test
    void escapesEachSegmentOfTheKeyButKeepsItsSlashes() {
        assertThat(MetricsCommand.pathOf("sys/gpu.0.util")).isEqualTo("sys/gpu.0.util");
        assertThat(MetricsCommand.pathOf("val loss/50%?")).isEqualTo("val%20loss/50%25%3F");
    }

    @Test
    void printsTheServersJsonWithOutputJson() {
        Result result = Reprise.run(env, "metrics", "345", "-o", "json");

        assertThat(result.out()).contains("\"key\": \"train/loss\"").contains("\"max\": \"Infinity\"");
    }
}
