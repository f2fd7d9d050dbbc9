package dev.reprise.orchestrator.domain.usage;

import java.time.Instant;

/** One reading of one GPU's board power, in watts, at the agent's sampling time. */
public record PowerSample(Instant at, double watts) {
}
