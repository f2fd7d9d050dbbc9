package dev.reprise.orchestrator.execution.kubernetes;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Keeps Fabric8's mock server from logging every request at INFO. */
final class QuietLogs {

    // strong references: java.util.logging forgets levels of loggers nobody holds
    private static final List<Logger> QUIET = List.of(
            Logger.getLogger("io.fabric8.mockwebserver"),
            Logger.getLogger("io.fabric8.kubernetes.client.informers"),
            Logger.getLogger("io.fabric8.kubernetes.client.dsl.internal"));

    private QuietLogs() {
    }

    static void apply() {
        QUIET.forEach(l -> l.setLevel(Level.WARNING));
    }
}
