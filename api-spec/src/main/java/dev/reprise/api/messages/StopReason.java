package dev.reprise.api.messages;

/** Why the training process stopped, as seen by the agent. */
public enum StopReason {
    /** The process exited with code 0 on its own. */
    COMPLETED,
    /** The process exited with a non-zero code (or died of a signal nobody sent through the agent) on its own. */
    FAILED,
    /** The agent forwarded SIGTERM or SIGINT and the process exited within the grace period. */
    TERMINATED,
    /** The process outlived the grace period after a forwarded signal and the agent killed it. */
    KILLED,
    /** The agent could not start the command (not found, not executable, bad options). */
    AGENT_ERROR
}
