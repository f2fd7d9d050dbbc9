package dev.reprise.orchestrator.execution.kubernetes;

/** One attempt of one run: what a Job (and its ConfigMap and pods) stands for. */
public record AttemptKey(long runId, int attempt) {

    @Override
    public String toString() {
        return "run " + runId + " attempt " + attempt;
    }
}
