package dev.reprise.orchestrator.domain.run;

/**
 * What the agent's own exit codes mean (see docs/metrics.md); any other non-zero code is the training process's.
 */
public final class AgentExitCodes {

    /** The data snapshot did not verify: a missing or corrupt blob. Training never started. */
    public static final int DATA_INVALID = 65;
    /** The data snapshot could not be fetched or written (store or disk unavailable). Training never started. */
    public static final int DATA_UNAVAILABLE = 69;

    private AgentExitCodes() {
    }

    /** The failure cause of a non-zero exit code of the agent. */
    public static FailureCause cause(int exitCode) {
        return switch (exitCode) {
            case DATA_INVALID -> FailureCause.DATA_ERROR;
            case DATA_UNAVAILABLE -> FailureCause.INFRASTRUCTURE;
            default -> FailureCause.USER_ERROR;
        };
    }
}
