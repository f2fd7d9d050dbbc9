package dev.reprise.orchestrator.scheduling;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The orchestrator with the scheduler off: the test itself calls the search, step by step. */
public class SchedulerOffProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("reprise.scheduler.enabled", "false");
    }
}
