package dev.reprise.orchestrator.execution.local;

import dev.reprise.api.trial.TrialEnvironment;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The whole environment of a local trial, built from an allow-list instead of inherited: the orchestrator's own
 * variables (database and S3 credentials, the admin token's file, KUBECONFIG…) never reach the trial. It gets
 * <ol>
 * <li>the few variables named in {@code reprise.local.pass-env} that the orchestrator's environment has
 * (by default {@code PATH}, locale and time zone),</li>
 * <li>{@code HOME}, {@code TMPDIR} (and {@code USER}/{@code LOGNAME} when it runs as its own OS user) pointing at
 * its own directories,</li>
 * <li>the launch's variables: the sweep's {@code env} and the trial contract's {@code REPRISE_*} variables,</li>
 * <li>the executor's own contract variables.</li>
 * </ol>
 */
final class TrialProcessEnvironment {

    private TrialProcessEnvironment() {
    }

    static Map<String, String> build(Map<String, String> orchestratorEnv, Collection<String> passEnv,
            Map<String, String> home, Map<String, String> launchEnv, TrialEnvironment executorVariables) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : passEnv) {
            String value = orchestratorEnv.get(name.strip());
            if (value != null) {
                env.put(name.strip(), value);
            }
        }
        env.putAll(home);
        env.putAll(launchEnv);
        env.putAll(executorVariables.toEnv());
        return env;
    }
}
