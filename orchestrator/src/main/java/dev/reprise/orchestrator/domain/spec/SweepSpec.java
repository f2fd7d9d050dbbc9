package dev.reprise.orchestrator.domain.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated, normalised sweep: defaults applied, the seed chosen, {@code maxTrials} resolved to the number
 * of trials the sweep will create. Parameter order is the declaration order.
 */
public record SweepSpec(
        String name,
        String project,
        String description,
        String image,
        String program,
        List<String> command,
        List<String> args,
        Map<String, String> env,
        Resources resources,
        Map<String, ParameterSpec> parameters,
        Method method,
        MetricSpec metric,
        int maxTrials,
        int parallelism,
        Integer maxFailedTrials,
        long seed,
        String queue,
        int priority,
        DataRef data,
        GitRef git,
        EarlyTermination earlyTerminate,
        WarmStart warmStart,
        Integer startupTrials,
        Map<String, SecretRef> secretEnv,
        Double budgetGpuHours) {

    public SweepSpec {
        command = command == null ? null : List.copyOf(command);
        args = List.copyOf(args);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        secretEnv = secretEnv == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(secretEnv));
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** Random trials before TPE takes over: {@code bayes.startup_trials}, 10 when not given. */
    public int startupTrialsOrDefault() {
        return startupTrials != null ? startupTrials : 10;
    }

    /** The same spec seeded from another sweep (the server replaces a name by the id it resolved to). */
    public SweepSpec withWarmStart(WarmStart ref) {
        return new SweepSpec(name, project, description, image, program, command, args, env, resources, parameters,
                method, metric, maxTrials, parallelism, maxFailedTrials, seed, queue, priority, data, git,
                earlyTerminate, ref, startupTrials, secretEnv, budgetGpuHours);
    }

    /**
     * The {@code env} section as written: plain values as strings, secret references as {@code {secret, key}}; the
     * plain values first, in declaration order, then the references. Equal to {@link #env()} without references.
     */
    public Map<String, Object> envTree() {
        Map<String, Object> t = new LinkedHashMap<>(env);
        secretEnv.forEach((name, ref) -> t.put(name, ref.toTree()));
        return t;
    }
}
