package dev.reprise.orchestrator.domain.spec;

import java.util.Locale;

/** Direction of the objective metric. */
public enum Goal {
    MINIMIZE, MAXIMIZE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
