package dev.reprise.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {

    @Test
    void appliesDefaults() throws Exception {
        AgentOptions o = AgentOptions.parse(List.of("--run-id", "42", "--", "python3", "train.py"), Map.of());

        assertThat(o.runId()).isEqualTo(42);
        assertThat(o.attempt()).isZero();
        assertThat(o.kafkaBootstrap()).isEmpty();
        assertThat(o.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.gracePeriod()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.flushTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.metricFormats()).containsExactly("json", "kv");
        assertThat(o.metricsFile()).isEqualTo(o.workDir().resolve("metrics.jsonl"));
        assertThat(o.workDir().toString()).endsWith("reprise-agent/42-0");
        assertThat(o.shipLogs()).isTrue();
        assertThat(o.command()).containsExactly("python3", "train.py");
    }

    @Test
    void readsOptionsInBothSpellingsAndKeepsCommandArgumentsThatLookLikeOptions() throws Exception {
        AgentOptions o = AgentOptions.parse(List.of("--run-id=7", "--attempt", "2", "--kafka-bootstrap=k:9092",
                "--heartbeat-interval", "500ms", "--grace-period=2m", "--flush-timeout", "5",
                "--metric-format", "json,colon", "--metric-regex", "(?<key>\\w+)=(?<value>\\S+)",
                "--metrics-file", "/tmp/m.jsonl", "--buffer-size", "1m", "--spill-limit", "2g", "--no-logs",
                "--", "train", "--lr=0.1"), Map.of());

        assertThat(o.runId()).isEqualTo(7);
        assertThat(o.attempt()).isEqualTo(2);
        assertThat(o.kafkaBootstrap()).contains("k:9092");
        assertThat(o.heartbeatInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.gracePeriod()).isEqualTo(Duration.ofMinutes(2));
        assertThat(o.flushTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.metricFormats()).containsExactly("json", "colon");
        assertThat(o.metricRegexes()).hasSize(1);
        assertThat(o.metricsFile()).isEqualTo(Path.of("/tmp/m.jsonl"));
        assertThat(o.bufferBytes()).isEqualTo(1 << 20);
        assertThat(o.spillBytes()).isEqualTo(2L << 30);
        assertThat(o.shipLogs()).isFalse();
        assertThat(o.command()).containsExactly("train", "--lr=0.1");
    }

    @Test
    void fallsBackToEnvironment() throws Exception {
        AgentOptions o = AgentOptions.parse(List.of("--", "train"), Map.of("REPRISE_RUN_ID", "9",
                "REPRISE_ATTEMPT", "3", "REPRISE_KAFKA_BOOTSTRAP", "b:1", "REPRISE_METRICS_FILE", "/x/m.jsonl",
                "REPRISE_AGENT_WORK_DIR", "/w"));

        assertThat(o.runId()).isEqualTo(9);
        assertThat(o.attempt()).isEqualTo(3);
        assertThat(o.kafkaBootstrap()).contains("b:1");
        assertThat(o.metricsFile()).isEqualTo(Path.of("/x/m.jsonl"));
        assertThat(o.workDir()).isEqualTo(Path.of("/w"));
    }

    @Test
    void rejectsBadCommandLinesWithAMessage() {
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--run-id", "1"), Map.of()))
                .hasMessageContaining("missing the command");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--", "x"), Map.of()))
                .hasMessageContaining("--run-id");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--run-id", "abc", "--", "x"), Map.of()))
                .hasMessageContaining("not a number");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--run-id", "1", "--grace-period", "soon", "--", "x"),
                Map.of())).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--run-id", "1", "--metric-format", "xml", "--", "x"),
                Map.of())).hasMessageContaining("unknown --metric-format");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--run-id", "1", "--metric-regex", "loss", "--", "x"),
                Map.of())).hasMessageContaining("--metric-regex");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--run-id", "1", "--frobnicate", "--", "x"), Map.of()))
                .hasMessageContaining("unknown option --frobnicate");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--run-id"), Map.of()))
                .hasMessageContaining("missing value");
    }

    @Test
    void keepsVersionAndUsageWorking() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream print = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);

        assertThat(AgentMain.run(new String[] {"--version"}, print, print)).isZero();
        assertThat(AgentMain.run(new String[] {"bogus"}, print, print)).isEqualTo(2);
        assertThat(AgentMain.run(new String[] {"run", "--", "x"}, print, print)).isEqualTo(2);

        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
                .startsWith("reprise-agent ").contains("Usage: reprise-agent run", "missing --run-id");
    }
}
