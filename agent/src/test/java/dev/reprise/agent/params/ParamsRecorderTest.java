package dev.reprise.agent.params;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.agent.AgentLog;
import dev.reprise.agent.report.Reporter;
import dev.reprise.agent.report.RunContext;
import dev.reprise.api.messages.MetricBatch;
import dev.reprise.api.messages.ParamRules;
import dev.reprise.api.messages.RunEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamsRecorderTest {

    private final List<RunEvent> events = new ArrayList<>();
    private final ParamsRecorder recorder = new ParamsRecorder(new RunContext(42, 3, "agent-1"), new Reporter() {
        @Override
        public void metrics(MetricBatch batch) {
            throw new AssertionError("params are not metrics");
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
    }, new AgentLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));

    @Test
    void readsStringsNumbersAndBooleansOfAParamsLineAsText() {
        int sent = recorder.recordLine("{\"params\": {\"lr\": \"0.001\", \"layers\": 4, \"decay\": 1.5e-4,"
                + " \"nesterov\": true}}", 1_000);

        assertThat(sent).isEqualTo(4);
        assertThat(events).singleElement().isEqualTo(new RunEvent.ParamsLogged(42, 3, 0,
                Map.of("lr", "0.001", "layers", "4", "decay", "1.5e-4", "nesterov", "true"), 1_000));
    }

    @Test
    void ignoresLinesWithoutAParamsObject() {
        assertThat(recorder.recordLine("{\"loss\": 0.3, \"step\": 2}", 1)).isZero();
        assertThat(recorder.recordLine("params: lr=0.1", 1)).isZero();
        assertThat(recorder.recordLine("{\"params\": \"lr=0.1\"}", 1)).isZero();
        assertThat(recorder.recordLine("{\"params\": {\"lr\": \"0.1\"}", 1)).isZero();
        assertThat(recorder.recordLine("{\"params\": {}}", 1)).isZero();

        assertThat(events).isEmpty();
    }

    @Test
    void refusesWhatMlflowWouldRefuseWithACountedWarning() {
        int sent = recorder.recordLine("{\"params\": {\"ok\": \"1\", \"a..b\": \"2\", \"x\": null, \"y\": [1],"
                + " \"" + "k".repeat(251) + "\": \"3\", \"long\": \"" + "v".repeat(6001) + "\"}}", 5);

        assertThat(sent).isEqualTo(1);
        assertThat(events.get(0)).isInstanceOfSatisfying(RunEvent.ParamsLogged.class,
                e -> assertThat(e.params()).isEqualTo(Map.of("ok", "1")));
        assertThat(events.subList(1, events.size())).map(e -> (RunEvent.MetricWarning) e)
                .extracting(RunEvent.MetricWarning::reason, RunEvent.MetricWarning::count)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(ParamRules.NAME_CHARACTERS, 1L),
                        org.assertj.core.groups.Tuple.tuple(ParamRules.VALUE_MISSING, 2L),
                        org.assertj.core.groups.Tuple.tuple(ParamRules.NAME_TOO_LONG, 1L),
                        org.assertj.core.groups.Tuple.tuple(ParamRules.VALUE_TOO_LONG, 1L));
    }

    @Test
    void sendsAParamAgainOnlyWhenItsValueChanged() {
        recorder.recordLine("{\"params\": {\"lr\": \"0.1\", \"seed\": 7}}", 1);
        recorder.recordLine("{\"params\": {\"lr\": \"0.1\", \"seed\": 7}}", 2);
        recorder.recordLine("{\"params\": {\"lr\": \"0.2\", \"seed\": 7}}", 3);

        assertThat(events).map(e -> ((RunEvent.ParamsLogged) e).params())
                .containsExactly(Map.of("lr", "0.1", "seed", "7"), Map.of("lr", "0.2"));
        assertThat(events).extracting(RunEvent::seq).containsExactly(0L, 1L);
    }

    @Test
    void splitsMoreThanMlflowsBatchLimitIntoSeveralEvents() {
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 250; i++) {
            many.put("p" + i, Integer.toString(i));
        }

        assertThat(recorder.record(many, 9)).isEqualTo(250);

        assertThat(events).map(e -> ((RunEvent.ParamsLogged) e).params().size()).containsExactly(100, 100, 50);
    }
}
