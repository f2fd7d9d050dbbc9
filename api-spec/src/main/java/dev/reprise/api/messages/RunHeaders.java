package dev.reprise.api.messages;

/** Kafka record headers the agent sets on every report and the orchestrator's ingest reads. */
public final class RunHeaders {

    /**
     * The run attempt's token ({@code rpr_run_RUN_ATTEMPT_MAC}): the ingest dead-letters a record whose token does
     * not name the record's own run attempt. Only brokers that refuse agents read access may carry it (the agent
     * credential can only write the report topics; see docs/security.md).
     */
    public static final String RUN_TOKEN = "reprise-run-token";

    private RunHeaders() {
    }
}
