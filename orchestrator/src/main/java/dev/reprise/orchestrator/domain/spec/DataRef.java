package dev.reprise.orchestrator.domain.spec;

/** A reference to a data snapshot (name[:tag] or sha256 id) and where it is mounted in the trial. */
public record DataRef(String snapshot, String mountPath) {
}
