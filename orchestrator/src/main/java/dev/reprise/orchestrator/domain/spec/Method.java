package dev.reprise.orchestrator.domain.spec;

import java.util.Locale;

/** Search methods a sweep may use. */
public enum Method {
    GRID, RANDOM;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
