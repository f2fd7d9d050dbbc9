package dev.reprise.orchestrator.domain.notify;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Slack-compatible body of an event (format {@code slack}): a {@code text} line an incoming webhook of Slack,
 * Mattermost or Rocket.Chat shows as is, and the event itself under {@code reprise} for anything that reads more.
 */
public final class SlackMessage {

    private SlackMessage() {
    }

    public static Map<String, Object> of(EventType type, Map<String, Object> event) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("text", text(type, event));
        out.put("reprise", event);
        return out;
    }

    static String text(EventType type, Map<String, Object> event) {
        Object sweep = event.getOrDefault("sweepName", event.get("sweepId"));
        String project = String.valueOf(event.get("project"));
        return switch (type) {
            case SWEEP_FINISHED -> ":white_check_mark: Sweep *" + sweep + "* (" + project + ") ended "
                    + event.get("status") + runs(event);
            case SWEEP_FAILED -> ":x: Sweep *" + sweep + "* (" + project + ") failed" + runs(event);
            case BUDGET_REACHED -> ":moneybag: Sweep *" + sweep + "* (" + project + ") reached its budget"
                    + (event.get("reason") == null ? "" : ": " + event.get("reason"));
            case NEW_BEST_RUN -> ":trophy: New best run #" + event.get("runIndex") + " of sweep *" + sweep + "* ("
                    + project + "): " + event.get("metric") + " = " + event.get("value");
            case RUN_FAILED -> ":warning: Run #" + event.get("runIndex") + " of sweep *" + sweep + "* (" + project
                    + ") failed: " + event.get("failureCause")
                    + (event.get("message") == null ? "" : " — " + event.get("message"));
        };
    }

    private static String runs(Map<String, Object> event) {
        return event.get("runs") instanceof Map<?, ?> counts && !counts.isEmpty() ? " " + counts : "";
    }
}
