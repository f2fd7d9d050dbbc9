package dev.reprise.api.trial;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code REPRISE_*} variables of one trial, keyed by {@link TrialVariable}: the orchestrator builds one per
 * attempt and writes it with {@link #toEnv()}; executors add their own ({@link #with}); the agent reads its process
 * environment back with {@link #read(Map)}. Values are never null; an absent variable is simply not in the map.
 */
public record TrialEnvironment(Map<TrialVariable, String> values) {

    public TrialEnvironment {
        EnumMap<TrialVariable, String> copy = new EnumMap<>(TrialVariable.class);
        values.forEach((k, v) -> copy.put(Objects.requireNonNull(k), Objects.requireNonNull(v, k.variable())));
        values = Collections.unmodifiableMap(copy);
    }

    public static TrialEnvironment empty() {
        return new TrialEnvironment(Map.of());
    }

    /** The contract's variables found in a process environment (anything else in it is ignored). */
    public static TrialEnvironment read(Map<String, String> env) {
        EnumMap<TrialVariable, String> values = new EnumMap<>(TrialVariable.class);
        env.forEach((name, value) -> {
            if (value != null) {
                TrialVariable.named(name).ifPresent(v -> values.put(v, value));
            }
        });
        return new TrialEnvironment(values);
    }

    /** This environment with one variable set (a null value removes it). */
    public TrialEnvironment with(TrialVariable variable, String value) {
        EnumMap<TrialVariable, String> copy = copy();
        if (value == null) {
            copy.remove(variable);
        } else {
            copy.put(variable, value);
        }
        return new TrialEnvironment(copy);
    }

    public TrialEnvironment with(TrialVariable variable, long value) {
        return with(variable, Long.toString(value));
    }

    /** This environment with the other's variables added (the other's win). */
    public TrialEnvironment with(TrialEnvironment other) {
        EnumMap<TrialVariable, String> copy = copy();
        copy.putAll(other.values);
        return new TrialEnvironment(copy);
    }

    /** This environment without the {@link TrialVariable#secret() credentials}: what the agent gives the command. */
    public TrialEnvironment withoutSecrets() {
        EnumMap<TrialVariable, String> copy = copy();
        copy.keySet().removeIf(TrialVariable::secret);
        return new TrialEnvironment(copy);
    }

    /** A variable's value; a blank value counts as absent. */
    public Optional<String> get(TrialVariable variable) {
        return Optional.ofNullable(values.get(variable)).map(String::strip).filter(s -> !s.isEmpty());
    }

    public boolean has(TrialVariable variable) {
        return get(variable).isPresent();
    }

    /** The variables as an environment map, in the contract's order. */
    public Map<String, String> toEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        values.forEach((k, v) -> env.put(k.variable(), v));
        return env;
    }

    /** The values of the credentials this environment carries (to mask them where a trial's output is stored). */
    public java.util.List<String> secretValues() {
        return values.entrySet().stream().filter(e -> e.getKey().secret()).map(Map.Entry::getValue)
                .filter(v -> !v.isBlank()).toList();
    }

    private EnumMap<TrialVariable, String> copy() {
        return values.isEmpty() ? new EnumMap<>(TrialVariable.class) : new EnumMap<>(values);
    }
}
