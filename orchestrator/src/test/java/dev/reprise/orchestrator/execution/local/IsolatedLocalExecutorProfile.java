package dev.reprise.orchestrator.execution.local;

import java.util.HashMap;
import java.util.Map;

/**
 * The local executor as a shared machine should run it: trials as their own OS user ({@code nobody}), and an admin
 * token file beside the trials, as {@code ./reprise up} keeps one. Needs the tests to run as root.
 */
public class IsolatedLocalExecutorProfile extends LocalExecutorProfile {

    static final String TOKEN_FILE = LocalExecutorProfile.WORK_DIR + "-home/admin-token";
    static final String WORK_DIR = LocalExecutorProfile.WORK_DIR + "-isolated";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("reprise.local.work-dir", WORK_DIR);
        config.put("reprise.local.run-as-user", "nobody");
        config.put("reprise.security.local-token-file", TOKEN_FILE);
        return config;
    }
}
