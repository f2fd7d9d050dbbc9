package dev.reprise.orchestrator.domain.security;

import dev.reprise.orchestrator.domain.run.RunState;
import java.time.Duration;
import java.time.Instant;

/**
 * A run token lives as long as its attempt: it names one run attempt, is refused once a newer attempt of the run
 * exists, and once the attempt is final, a short grace later (the agent's last artifact upload and reports).
 */
public final class RunTokenLifetime {

    private RunTokenLifetime() {
    }

    /**
     * Whether a token of {@code tokenAttempt} still works for a run now at {@code currentAttempt} in {@code state},
     * finished at {@code finishedAt} (null while it runs).
     */
    public static boolean accepts(int tokenAttempt, int currentAttempt, String state, Instant finishedAt, Instant now,
            Duration grace) {
        if (tokenAttempt != currentAttempt) {
            return false;
        }
        boolean terminal;
        try {
            terminal = RunState.valueOf(state).terminal();
        } catch (IllegalArgumentException e) {
            return false;
        }
        return !terminal || finishedAt != null && !now.isAfter(finishedAt.plus(grace));
    }
}
