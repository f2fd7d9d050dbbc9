package dev.reprise.agent.params;

import dev.reprise.agent.AgentLog;
import dev.reprise.api.messages.MetricKeys;
import dev.reprise.api.messages.ParamRules;
import dev.reprise.api.messages.RunEvent;
import dev.reprise.agent.report.Reporter;
import dev.reprise.agent.report.RunContext;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns parameter lines from every source (output streams, metrics file) into {@link RunEvent.ParamsLogged} events:
 * checks each parameter against MLflow's rules ({@link ParamRules}; refused ones become a warning on the run with
 * their count), leaves out what was already sent with the same value (training loops that log their config every
 * epoch), and sends at most {@link RunEvent.ParamsLogged#MAX_PARAMS} per event. A parameter sent again with another
 * value is sent: the orchestrator owns the immutability rule and reports the refusal on the run. Thread-safe.
 */
public final class ParamsRecorder {

    private final RunContext run;
    private final Reporter reporter;
    private final AgentLog log;
    private final ParamsLineParser parser = new ParamsLineParser();
    private final Map<String, String> sent = new HashMap<>();

    public ParamsRecorder(RunContext run, Reporter reporter, AgentLog log) {
        this.run = run;
        this.reporter = reporter;
        this.log = log;
    }

    /** Reports the parameters of {@code line}, seen at {@code atMillis}; returns how many were sent. */
    public int recordLine(String line, long atMillis) {
        Optional<Map<String, String>> params = parser.parse(line);
        return params.isEmpty() ? 0 : record(params.get(), atMillis);
    }

    public synchronized int record(Map<String, String> params, long atMillis) {
        Map<String, String> batch = new LinkedHashMap<>();
        Map<String, Refused> refused = new LinkedHashMap<>();
        int count = 0;
        for (Map.Entry<String, String> e : params.entrySet()) {
            Optional<String> reason = ParamRules.rejection(e.getKey(), e.getValue());
            if (reason.isPresent()) {
                refused.computeIfAbsent(reason.get(), r -> new Refused(MetricKeys.printable(e.getKey()))).count++;
                continue;
            }
            if (e.getValue().equals(sent.get(e.getKey()))) {
                continue;
            }
            sent.put(e.getKey(), e.getValue());
            batch.put(e.getKey(), e.getValue());
            count++;
            if (batch.size() == RunEvent.ParamsLogged.MAX_PARAMS) {
                send(batch, atMillis);
                batch = new LinkedHashMap<>();
            }
        }
        if (!batch.isEmpty()) {
            send(batch, atMillis);
        }
        refused.forEach((reason, r) -> {
            log.warnOnce("rejected-param", "ignoring param '" + r.example + "': " + reason
                    + " (further rejections are only counted)");
            reporter.event(run.metricWarning(r.count, reason, r.example, atMillis));
        });
        return count;
    }

    private void send(Map<String, String> batch, long atMillis) {
        reporter.event(run.paramsLogged(batch, atMillis));
    }

    private static final class Refused {
        private final String example;
        private long count;

        Refused(String example) {
            this.example = example;
        }
    }
}
