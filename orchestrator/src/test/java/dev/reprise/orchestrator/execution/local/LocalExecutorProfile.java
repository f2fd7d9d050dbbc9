package dev.reprise.orchestrator.execution.local;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The orchestrator with the local executor: trials are real processes wrapped by the real agent. */
public class LocalExecutorProfile implements QuarkusTestProfile {

    /** A fresh directory per test JVM: run ids restart when the test database is reset. */
    static final String WORK_DIR = "target/local-trials-" + System.currentTimeMillis();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("reprise.executor", "local"),
                Map.entry("reprise.local.work-dir", WORK_DIR),
                Map.entry("reprise.local.trial-dir", ".."),
                Map.entry("reprise.local.agent-jar", "../agent/target/reprise-agent.jar"),
                Map.entry("reprise.local.kill-after", "20s"),
                Map.entry("reprise.local.grace-period", "2s"),
                Map.entry("reprise.scheduler.queues.local.max-running", "8"),
                // the other test classes' queues stay shut in this profile: their sweeps are not for real processes
                Map.entry("reprise.scheduler.queues.lifecycle.max-running", "0"));
    }
}
