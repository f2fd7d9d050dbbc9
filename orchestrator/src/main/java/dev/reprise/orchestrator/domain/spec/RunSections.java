package dev.reprise.orchestrator.domain.spec;

import dev.reprise.api.trial.TrialVariable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a trial runs with: the command and argument lists, the environment (values and secret references) and the per-
 * node resources. Part of {@link SweepSpecParser}; pure.
 */
final class RunSections {

    private static final Pattern CPU = Pattern.compile("[0-9]+(\\.[0-9]+)?|[0-9]+m");
    private static final Pattern MEMORY = Pattern.compile("[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?");
    private static final Pattern GPU_TYPE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private RunSections() {
    }

    static List<String> strings(Fields f, Errors errors, String key, int maxItems) {
        List<?> raw = f.list(key);
        if (raw == null) {
            return null;
        }
        if (key.equals("command") && raw.isEmpty()) {
            errors.add(key, "must not be empty");
            return null;
        }
        if (raw.size() > maxItems) {
            errors.add(key, "must have at most " + maxItems + " elements");
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            Object v = raw.get(i);
            if (v instanceof String s && s.length() <= 4096) {
                out.add(s);
            } else if (v instanceof Number || v instanceof Boolean) {
                out.add(String.valueOf(v));
            } else {
                errors.add(key + "[" + i + "]", "must be a string of at most 4096 characters");
            }
        }
        return out;
    }

    static Map<String, String> env(Fields f, Errors errors, Map<String, SecretRef> secretEnv) {
        Map<?, ?> raw = f.object("env");
        Map<String, String> env = new LinkedHashMap<>();
        if (raw == null) {
            return env;
        }
        if (raw.size() > 128) {
            errors.add("env", "must have at most 128 variables");
            return env;
        }
        for (Map.Entry<?, ?> e : raw.entrySet()) {
            String key = String.valueOf(e.getKey());
            String path = "env." + key;
            if (!ENV_NAME.matcher(key).matches()) {
                errors.add(path, "is not a valid environment variable name");
            } else if (TrialVariable.reserved(key)) {
                errors.add(path, "names starting with " + TrialVariable.PREFIX + " are reserved for Reprise");
            } else if (e.getValue() instanceof String || e.getValue() instanceof Number
                    || e.getValue() instanceof Boolean) {
                String value = String.valueOf(e.getValue());
                if (value.length() > 32768) {
                    errors.add(path, "must be at most 32768 characters long");
                } else {
                    env.put(key, value);
                }
            } else if (e.getValue() instanceof Map<?, ?> ref) {
                SecretRef parsed = secretRef(new Fields(ref, path, errors), path, errors);
                if (parsed != null) {
                    secretEnv.put(key, parsed);
                }
            } else {
                errors.add(path, "must be a string, or a secret reference {secret: NAME, key: KEY}");
            }
        }
        return env;
    }

    /** {@code {secret: NAME, key: KEY}}: both required, as in a Kubernetes {@code secretKeyRef}. */
    static SecretRef secretRef(Fields r, String path, Errors errors) {
        String secret = required(r, errors, "secret", r.string("secret", SecretRef.MAX_LENGTH, SecretRef.NAME,
                SecretRef.NAME_HINT), path);
        String key = required(r, errors, "key", r.string("key", SecretRef.MAX_LENGTH, SecretRef.KEY,
                SecretRef.KEY_HINT), path);
        r.rejectUnknown();
        return secret == null || key == null ? null : new SecretRef(secret, key);
    }

    static <T> T required(Fields f, Errors errors, String key, T value, String path) {
        if (value == null && !f.has(key)) {
            errors.add(path + "." + key, "is required");
        }
        return value;
    }

    static Resources resources(Fields f, Errors errors, int maxNodes) {
        Map<?, ?> raw = f.object("resources");
        if (raw == null) {
            return Resources.NONE;
        }
        Fields r = new Fields(raw, "resources", errors);
        String cpu = quantity(r, errors, "cpu", CPU, "must be a CPU quantity such as 2, 0.5 or 500m");
        String memory = r.string("memory", 32, MEMORY, "must be a memory quantity such as 512Mi or 8Gi");
        int gpuCount = 0;
        String gpuType = null;
        Object gpu = r.raw("gpu");
        if (gpu instanceof Map<?, ?> g) {
            Fields gf = new Fields(g, "resources.gpu", errors);
            if (!gf.has("count")) {
                errors.add("resources.gpu.count", "is required");
            }
            Long count = gf.integer("count", 0, 64);
            gpuCount = count == null ? 0 : count.intValue();
            gpuType = gf.string("type", 63, GPU_TYPE, "must be a GPU type such as nvidia-h100-80gb");
            gf.rejectUnknown();
        } else if (gpu != null) {
            Long count = r.integer("gpu", 0, 64);
            gpuCount = count == null ? 0 : count.intValue();
        }
        Long nodes = r.integer("nodes", 1, maxNodes);
        Long timeLimit = TimeLimit.seconds(r.raw("timeLimit"), r.path("timeLimit"), errors);
        r.rejectUnknown();
        return new Resources(cpu, memory, gpuCount, gpuType, nodes == null ? 1 : nodes.intValue(), timeLimit);
    }

    static String quantity(Fields r, Errors errors, String key, Pattern pattern, String hint) {
        Object v = r.raw(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            if (!(n.doubleValue() > 0) || !Double.isFinite(n.doubleValue())) {
                errors.add(r.path(key), "must be greater than 0");
                return null;
            }
            return String.valueOf(v);
        }
        return r.string(key, 32, pattern, hint);
    }
}
