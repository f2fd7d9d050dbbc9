package dev.reprise.api.messages;

import java.util.Arrays;
import java.util.Optional;

/** The {@code type} discriminator of {@link RunEvent} JSON documents. */
public enum RunEventType {
    STARTED("started", RunEvent.Started.class),
    HEARTBEAT("heartbeat", RunEvent.Heartbeat.class),
    LOG_CHUNK("log-chunk", RunEvent.LogChunk.class),
    FINISHED("finished", RunEvent.Finished.class),
    METRIC_WARNING("metric-warning", RunEvent.MetricWarning.class),
    PARAMS_LOGGED("params-logged", RunEvent.ParamsLogged.class);

    private final String wireName;
    private final Class<? extends RunEvent> type;

    RunEventType(String wireName, Class<? extends RunEvent> type) {
        this.wireName = wireName;
        this.type = type;
    }

    public String wireName() {
        return wireName;
    }

    public Class<? extends RunEvent> type() {
        return type;
    }

    public static RunEventType of(RunEvent event) {
        for (RunEventType t : values()) {
            if (t.type == event.getClass()) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown event class " + event.getClass());
    }

    public static Optional<RunEventType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
