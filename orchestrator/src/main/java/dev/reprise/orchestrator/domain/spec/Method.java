package dev.reprise.orchestrator.domain.spec;

import java.util.Locale;

/** Search methods a sweep may use: grid and random expand at submission, bayes suggests trial by trial (TPE). */
public enum Method {
    GRID, RANDOM, BAYES;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
