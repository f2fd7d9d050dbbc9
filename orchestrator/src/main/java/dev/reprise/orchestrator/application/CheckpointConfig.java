package dev.reprise.orchestrator.application;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Checkpoints that outlive attempts ({@code reprise.checkpoints.*}, docs/checkpoints.md). */
@ConfigMapping(prefix = "reprise.checkpoints")
public interface CheckpointConfig {

    /** Checkpoints kept per run, the newest steps; older ones are deleted when a new one is recorded. */
    @WithDefault("3")
    int keep();

    /**
     * The most a run's kept checkpoints may hold together. A checkpoint that would exceed it is refused before it is
     * uploaded, with a warning on the run.
     */
    @WithDefault("20G")
    MemorySize maxRunSize();
}
