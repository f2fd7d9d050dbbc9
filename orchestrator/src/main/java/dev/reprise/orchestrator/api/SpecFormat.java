package dev.reprise.orchestrator.api;

/** The formats a sweep document can be submitted in. */
public enum SpecFormat {
    YAML, JSON;

    public String wireName() {
        return this == YAML ? "yaml" : "json";
    }
}
