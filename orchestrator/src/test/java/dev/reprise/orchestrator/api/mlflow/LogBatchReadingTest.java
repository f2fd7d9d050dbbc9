package dev.reprise.orchestrator.api.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.orchestrator.application.mlflow.MlflowException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The streamed reading of a log-batch body gives what reading it as a tree gives: the same run, metrics, params and
 * tags, or the same MLflow error, for bodies of the usual shape and for every odd shape MLflow clients could send.
 */
class LogBatchReadingTest {

    static final String M = "{\"key\":\"loss\",\"value\":0.123456789012345678,\"timestamp\":1700000000000,\"step\":3}";

    static final List<String> BODIES = List.of(
            "{\"run_id\":\"7\",\"metrics\":[" + M + "," + M.replace("loss", "acc") + "]}",
            "{\"run_uuid\":\"7\",\"metrics\":[" + M + "]}",
            "{\"metrics\":[" + M + "],\"run_id\":7}",
            "{\"run_id\":\"7\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"timestamp\":2}]}",
            "{\"run_id\":\"7\",\"metrics\":[{\"key\":\"a\",\"value\":-1e308,\"timestamp\":2,\"step\":0}]}",
            "{\"run_id\":\"7\",\"metrics\":[{\"key\":\"a\",\"value\":NaN,\"timestamp\":2,\"step\":0}]}",
            "{\"run_id\":\"7\",\"metrics\":[{\"key\":\"a\",\"value\":-Infinity,\"timestamp\":2,\"step\":0}]}",
            "{\"run_id\":\"7\",\"metrics\":[{\"key\":\"a\",\"value\":\"NaN\",\"timestamp\":2,\"step\":0}]}",
            "{\"run_id\":\"7\",\"metrics\":[{\"key\":\"a\",\"value\":\"1.5\",\"timestamp\":\"2\",\"step\":\"4\"}]}",
            "{\"run_id\":\"7\",\"metrics\":[{\"key\":\"a\",\"value\":\"high\",\"timestamp\":2}]}",
            "{\"run_id\":\"7\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"timestamp\":2.0,\"step\":3.0}]}",
            "{\"run_id\":\"7\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"timestamp\":2.5}]}",
            "{\"run_id\":\"7\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"timestamp\":99999999999999999999999}]}",
            "{\"run_id\":\"7\",\"metrics\":[{\"key\":\"a\",\"value\":99999999999999999999999,\"timestamp\":1}]}",
            "{\"run_id\":\"7\",\"metrics\":[{\"key\":12,\"value\":1,\"timestamp\":2}]}",
            "{\"run_id\":\"7\",\"metrics\":[{\"key\":{\"x\":1},\"value\":1,\"timestamp\":2}]}",
            "{\"run_id\":\"7\",\"metrics\":[{\"key\":null,\"value\":1,\"timestamp\":2}]}",
            "{\"run_id\":\"7\",\"metrics\":[{\"value\":1,\"timestamp\":2}]}",
            "{\"run_id\":\"7\",\"metrics\":[{\"key\":\"a\",\"timestamp\":2}]}",
            "{\"run_id\":\"7\",\"metrics\":[{\"key\":\"a\",\"value\":null,\"timestamp\":2}]}",
            "{\"run_id\":\"7\",\"metrics\":[{\"key\":\"a\",\"value\":1}]}",
            "{\"run_id\":\"7\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"timestamp\":null,\"step\":null}]}",
            "{\"run_id\":\"7\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"timestamp\":2,\"extra\":{\"deep\":[1,{}]}}]}",
            "{\"run_id\":\"7\",\"metrics\":[{\"key\":\"a\",\"key\":\"b\",\"value\":1,\"value\":2,\"timestamp\":2}]}",
            "{\"run_id\":\"7\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"timestamp\":\"x\",\"timestamp\":5}]}",
            "{\"run_id\":\"7\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"timestamp\":5,\"timestamp\":\"x\"}]}",
            "{\"run_id\":\"7\",\"metrics\":[1]}",
            "{\"run_id\":\"7\",\"metrics\":[[" + M + "]]}",
            "{\"run_id\":\"7\",\"metrics\":[null]}",
            "{\"run_id\":\"7\",\"metrics\":[" + M + ",\"x\"," + M + "]}",
            "{\"run_id\":\"7\",\"metrics\":{}}",
            "{\"run_id\":\"7\",\"metrics\":null}",
            "{\"run_id\":\"7\",\"metrics\":[]}",
            "{\"run_id\":\"7\",\"metrics\":[" + M + "],\"metrics\":null}",
            "{\"run_id\":\"7\",\"metrics\":null,\"metrics\":[" + M + "]}",
            "{\"run_id\":\"7\",\"metrics\":[1],\"metrics\":[" + M + "]}",
            "{\"run_id\":\"7\",\"metrics\":[" + M + "],\"metrics\":[1]}",
            "{\"metrics\":[1]}",
            "{\"run_id\":{\"a\":1},\"metrics\":[" + M + "]}",
            "{\"run_id\":\"7\",\"params\":[{\"key\":\"lr\",\"value\":\"0.1\"},{\"key\":\"lr\",\"value\":\"0.2\"}],"
                    + "\"tags\":[{\"key\":\"t\",\"value\":\"v\"}],\"metrics\":[" + M + "]}",
            "{\"run_id\":\"7\",\"params\":{},\"metrics\":[" + M + "]}",
            "{\"run_id\":\"7\",\"tags\":[{\"key\":\"t\"}],\"metrics\":[1]}",
            "{\"run_id\":\"7\",\"metrics\":[" + M + "]} trailing",
            "{\"run_id\":\"7\",\"metrics\":[" + M + "]",
            "{\"run_id\":\"7\",\"metrics\":[}",
            "[1, 2]",
            "null",
            "42",
            "",
            "  ",
            "{}",
            "{\"run_id\":\"7\",\"metrics\":[{\"key\":\"caf\u00e9\",\"value\":1,\"timestamp\":2}]}");

    @Test
    void streamingReadsEveryBodyAsTheTreeDoes() {
        List<String> differing = new ArrayList<>();
        for (String body : BODIES) {
            Object tree = outcome(() -> MlflowJson.logBatch(MlflowJson.body(body)));
            Object streamed = outcome(() -> MlflowJson.logBatch(body.getBytes(StandardCharsets.UTF_8),
                    StandardCharsets.UTF_8));
            if (!tree.equals(streamed)) {
                differing.add(body + "\n  tree:     " + tree + "\n  streamed: " + streamed);
            }
        }
        assertThat(differing).isEmpty();
    }

    @Test
    void aBatchOfTheUsualShapeIsReadIntoItsMetrics() {
        MlflowJson.LogBatch b = MlflowJson.logBatch(BODIES.get(0).getBytes(StandardCharsets.UTF_8),
                StandardCharsets.UTF_8);
        assertThat(b.runId()).isEqualTo("7");
        assertThat(b.metrics()).hasSize(2);
        assertThat(b.metrics().get(1).key()).isEqualTo("acc");
        assertThat(b.metrics().get(1).value()).isEqualTo(0.123456789012345678);
        assertThat(b.metrics().get(1).timestampMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(b.metrics().get(1).step()).isEqualTo(3);
    }

    private static Object outcome(Supplier<MlflowJson.LogBatch> read) {
        try {
            return read.get();
        } catch (MlflowException e) {
            return e.errorCode() + " " + e.status() + " " + e.getMessage();
        }
    }
}
