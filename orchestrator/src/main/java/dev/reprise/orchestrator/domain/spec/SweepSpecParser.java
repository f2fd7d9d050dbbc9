package dev.reprise.orchestrator.domain.spec;

import dev.reprise.api.trial.TrialVariable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Turns a plain document tree (as read from YAML or JSON: maps, lists, strings, numbers, booleans) into a
 * validated {@link SweepSpec}, reporting every problem with its field path. Pure: no I/O, no framework.
 */
public final class SweepSpecParser {

    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    static final String DNS_HINT = "must consist of lower-case letters, digits and '-', and start and end with "
            + "a letter or digit";
    private static final Pattern NO_WHITESPACE = Pattern.compile("\\S+");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final Pattern NO_CONTROL = Pattern.compile("[^\\p{Cntrl}]+");
    private static final Pattern CPU = Pattern.compile("[0-9]+(\\.[0-9]+)?|[0-9]+m");
    private static final Pattern MEMORY = Pattern.compile("[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?");
    private static final Pattern GPU_TYPE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern GIT_COMMIT = Pattern.compile("[0-9a-f]{7,40}");
    private static final Pattern SNAPSHOT = Pattern.compile(
            "sha256:[0-9a-f]{64}|[a-z0-9]([-a-z0-9_.]*[a-z0-9])?(:[A-Za-z0-9_][-A-Za-z0-9_.]{0,127})?");

    private final SpecLimits limits;
    private final LongSupplier seedSource;
    private final ParameterParser parameterParser;

    public SweepSpecParser(SpecLimits limits, LongSupplier seedSource) {
        this.limits = limits;
        this.seedSource = seedSource;
        this.parameterParser = new ParameterParser(limits);
    }

    /** Reads {@code document}; {@code projectOverride}, when not null, replaces the document's project. */
    public SpecResult parse(Object document, String projectOverride) {
        Errors errors = new Errors();
        if (!(document instanceof Map<?, ?> root)) {
            errors.add("", "a sweep must be an object (a YAML mapping)");
            return new SpecResult.Invalid(errors.toList());
        }
        Fields f = new Fields(root, "", errors);
        String name = required(f, errors, "name", f.string("name", 40, DNS_LABEL, DNS_HINT));
        String project = f.string("project", 63, DNS_LABEL, DNS_HINT);
        if (projectOverride != null) {
            project = Fields.checkString("project", projectOverride, 63, DNS_LABEL, DNS_HINT, errors);
        }
        String description = f.string("description", 4000, null, null);
        String image = required(f, errors, "image", f.string("image", 512, NO_WHITESPACE,
                "must be an image reference without whitespace"));
        String program = f.string("program", 1024, null, null);
        List<String> command = strings(f, errors, "command", 256);
        List<String> args = strings(f, errors, "args", 256);
        Map<String, SecretRef> secretEnv = new LinkedHashMap<>();
        Map<String, String> env = env(f, errors, secretEnv);
        Resources resources = resources(f, errors, limits.maxNodes());
        Map<String, ParameterSpec> parameters = parameters(f, errors);
        Method method = method(f, errors);
        MetricSpec metric = metric(f, errors);
        Integer requestedTrials = maxTrials(f, errors);
        Long parallelism = f.integer("parallelism", 1, 1000);
        Long maxFailed = f.integer("max_failed_trials", 0, Integer.MAX_VALUE);
        Long seed = f.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        String queue = f.string("queue", 63, DNS_LABEL, DNS_HINT);
        Long priority = f.integer("priority", -1000, 1000);
        DataRef data = data(f, errors);
        GitRef git = git(f, errors);
        EarlyTermination earlyTerminate = earlyTerminate(f, errors, metric);
        WarmStart warmStart = warmStart(f, errors, method);
        Integer startupTrials = bayes(f, errors, method);
        Double budgetGpuHours = budget(f, errors);
        f.rejectUnknown();
        if (method != null && method.adaptive() && metric == null && !f.has("metric")) {
            errors.add("metric", "is required for " + method.wireName()
                    + " search: it is the objective the search optimises");
        }
        if (method != null && parameters != null && parameters.size() > method.maxParameters()) {
            errors.add("parameters", method.wireName() + " search supports at most " + method.maxParameters()
                    + " parameters");
        }

        if (command == null && program == null && !f.has("command") && !f.has("program")) {
            errors.add("command", "give a command, a program, or both");
        }
        if (parameters != null && command != null) {
            CommandTemplate.validate(command, parameters.keySet(), program != null, "command").forEach(e -> errors.add(e.field(),
                    e.message()));
        }
        if (parameters != null && args != null) {
            CommandTemplate.validate(args, parameters.keySet(), program != null, "args").forEach(e -> errors.add(e.field(),
                    e.message()));
        }
        int trials = trialCount(method, parameters, requestedTrials, errors);
        if (!errors.isEmpty()) {
            return new SpecResult.Invalid(errors.toList());
        }
        return new SpecResult.Valid(new SweepSpec(name, project == null ? "default" : project, description, image,
                program, command, args == null ? List.of() : args, env, resources, parameters, method, metric,
                trials, parallelism == null ? 1 : parallelism.intValue(),
                maxFailed == null ? null : maxFailed.intValue(), seed == null ? seedSource.getAsLong() : seed,
                queue == null ? "default" : queue, priority == null ? 0 : priority.intValue(), data, git,
                earlyTerminate, warmStart, startupTrials, secretEnv, budgetGpuHours));
    }

    private static <T> T required(Fields f, Errors errors, String key, T value) {
        if (value == null && !f.has(key)) {
            errors.add(key, "is required");
        }
        return value;
    }

    private static List<String> strings(Fields f, Errors errors, String key, int maxItems) {
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

    private static Map<String, String> env(Fields f, Errors errors, Map<String, SecretRef> secretEnv) {
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
    private static SecretRef secretRef(Fields r, String path, Errors errors) {
        String secret = required(r, errors, "secret", r.string("secret", SecretRef.MAX_LENGTH, SecretRef.NAME,
                SecretRef.NAME_HINT), path);
        String key = required(r, errors, "key", r.string("key", SecretRef.MAX_LENGTH, SecretRef.KEY,
                SecretRef.KEY_HINT), path);
        r.rejectUnknown();
        return secret == null || key == null ? null : new SecretRef(secret, key);
    }

    private static <T> T required(Fields f, Errors errors, String key, T value, String path) {
        if (value == null && !f.has(key)) {
            errors.add(path + "." + key, "is required");
        }
        return value;
    }

    private static Resources resources(Fields f, Errors errors, int maxNodes) {
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

    private static String quantity(Fields r, Errors errors, String key, Pattern pattern, String hint) {
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

    private Map<String, ParameterSpec> parameters(Fields f, Errors errors) {
        Map<?, ?> raw = f.object("parameters");
        if (raw == null) {
            if (!f.has("parameters")) {
                errors.add("parameters", "is required");
            }
            return null;
        }
        if (raw.isEmpty()) {
            errors.add("parameters", "must declare at least one parameter");
            return null;
        }
        if (raw.size() > limits.maxParameters()) {
            errors.add("parameters", "must declare at most " + limits.maxParameters() + " parameters");
            return null;
        }
        Map<String, ParameterSpec> out = new LinkedHashMap<>();
        int before = errors.size();
        for (Map.Entry<?, ?> e : raw.entrySet()) {
            String name = String.valueOf(e.getKey());
            String path = "parameters." + name;
            if (name.length() > 64 || !PARAM_NAME.matcher(name).matches()) {
                errors.add(path, "parameter names must start with a letter or '_' and contain only letters, "
                        + "digits, '_', '.' and '-' (at most 64)");
            } else if (!(e.getValue() instanceof Map<?, ?> block)) {
                errors.add(path, "must be an object such as {values: [...]} or {min: ..., max: ...}");
            } else {
                ParameterSpec spec = parameterParser.parse(block, path, errors);
                if (spec != null) {
                    out.put(name, spec);
                }
            }
        }
        return errors.size() == before ? out : null;
    }

    private static Method method(Fields f, Errors errors) {
        Object raw = f.raw("method");
        if (raw == null) {
            errors.add("method", "is required (" + Method.wireNames() + ")");
            return null;
        }
        if (raw instanceof String s && Method.fromWireName(s).isPresent()) {
            return Method.fromWireName(s).get();
        }
        errors.add("method", "must be " + Method.wireNames());
        return null;
    }

    private static MetricSpec metric(Fields f, Errors errors) {
        Map<?, ?> raw = f.object("metric");
        if (raw == null) {
            return null;
        }
        Fields m = new Fields(raw, "metric", errors);
        String name = m.string("name", 256, NO_CONTROL, "must not contain control characters");
        if (name == null && !m.has("name")) {
            errors.add("metric.name", "is required");
        }
        Goal goal = Goal.MINIMIZE;
        Object g = m.raw("goal");
        if ("maximize".equals(g)) {
            goal = Goal.MAXIMIZE;
        } else if (g != null && !"minimize".equals(g)) {
            errors.add("metric.goal", "must be minimize or maximize");
        }
        Double target = m.number("target");
        m.rejectUnknown();
        return new MetricSpec(name, goal, target);
    }

    private static Integer maxTrials(Fields f, Errors errors) {
        boolean both = f.has("max_trials") && f.has("run_cap");
        Long maxTrials = f.integer("max_trials", 1, Integer.MAX_VALUE);
        Long runCap = f.integer("run_cap", 1, Integer.MAX_VALUE);
        if (both) {
            errors.add("run_cap", "give max_trials or its W&B alias run_cap, not both");
        }
        Long value = maxTrials != null ? maxTrials : runCap;
        return value == null ? null : value.intValue();
    }

    private int trialCount(Method method, Map<String, ParameterSpec> parameters, Integer requested, Errors errors) {
        String field = "max_trials";
        int cap = limits.maxTrialsCap();
        if (requested != null && requested > cap) {
            errors.add(field, "must be at most " + cap + " (the server's limit on trials per sweep)");
            return 0;
        }
        if (method == null || parameters == null) {
            return 0;
        }
        if (!method.enumerable()) {
            if (requested == null) {
                errors.add(field, "is required for " + method.wireName() + " search (or its W&B alias run_cap)");
                return 0;
            }
            return requested;
        }
        boolean discrete = true;
        for (Map.Entry<String, ParameterSpec> e : parameters.entrySet()) {
            if (!e.getValue().discrete()) {
                discrete = false;
                errors.add("parameters." + e.getKey(), "grid search needs discrete parameters (value, values, "
                        + "int_uniform or q_uniform); '" + e.getValue().distribution() + "' is continuous");
            }
        }
        if (!discrete) {
            return 0;
        }
        long size = ParameterSpec.gridSizeOf(parameters.values());
        int limit = requested != null ? requested : cap;
        if (size > limit) {
            String sizeText = size == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : String.valueOf(size);
            errors.add(field, "the grid has " + sizeText + " combinations, more than "
                    + (requested != null ? "max_trials (" + requested + ")" : "the server's limit of " + cap));
            return 0;
        }
        return (int) size;
    }

    /** {@code budget: {gpu_hours: H}}: H a number greater than 0 (GPU-hours the whole sweep may use). */
    private static Double budget(Fields f, Errors errors) {
        Map<?, ?> raw = f.object("budget");
        if (raw == null) {
            return null;
        }
        Fields b = new Fields(raw, "budget", errors);
        Double hours = null;
        if (!b.has("gpu_hours")) {
            errors.add("budget.gpu_hours", "is required");
        } else {
            hours = b.number("gpu_hours");
            if (hours != null && !(hours > 0)) {
                errors.add("budget.gpu_hours", "must be greater than 0");
                hours = null;
            }
        }
        b.rejectUnknown();
        return hours;
    }

    private static EarlyTermination earlyTerminate(Fields f, Errors errors, MetricSpec metric) {
        Map<?, ?> raw = f.object("early_terminate");
        if (raw == null) {
            return null;
        }
        Fields e = new Fields(raw, "early_terminate", errors);
        Object type = e.raw("type");
        int before = errors.size();
        EarlyTermination result = null;
        if ("hyperband".equals(type)) {
            Long minIter = e.integer("min_iter", 1, Integer.MAX_VALUE);
            Long maxIter = e.integer("max_iter", 1, Integer.MAX_VALUE);
            Long s = e.integer("s", 1, 20);
            Double eta = e.has("eta") ? e.number("eta") : Double.valueOf(3);
            e.raw("eta");
            Boolean strict = e.bool("strict");
            if (Boolean.TRUE.equals(strict)) {
                errors.add("early_terminate.strict", "strict hyperband is not supported yet");
            }
            if (eta != null && eta <= 1) {
                errors.add("early_terminate.eta", "must be greater than 1");
            }
            if (errors.size() == before) {
                if (minIter == null && maxIter != null && s != null) {
                    minIter = Math.max(1, (long) Math.floor(maxIter / Math.pow(eta, s)));
                }
                if (minIter == null) {
                    errors.add("early_terminate.min_iter", "give min_iter, or max_iter and s");
                } else {
                    long max = maxIter != null ? maxIter : (long) Math.min(Integer.MAX_VALUE,
                            minIter * Math.pow(eta, s != null ? s : 5));
                    if (max < minIter) {
                        errors.add("early_terminate.max_iter", "must not be less than min_iter (" + minIter + ")");
                    } else {
                        result = new EarlyTermination.Hyperband(minIter, max, eta);
                    }
                }
            }
        } else if ("median".equals(type)) {
            Long minIter = e.integer("min_iter", 0, Integer.MAX_VALUE);
            Long minTrials = e.integer("min_trials", 1, 10_000);
            if (errors.size() == before) {
                result = new EarlyTermination.Median(minIter == null ? 0 : minIter,
                        minTrials == null ? 3 : minTrials.intValue());
            }
        } else {
            errors.add("early_terminate.type", "must be hyperband or median");
        }
        e.rejectUnknown();
        if (metric == null && !f.has("metric")) {
            errors.add("early_terminate", "needs a metric: it stops trials whose metric falls behind");
        }
        return errors.size() == before ? result : null;
    }

    private static WarmStart warmStart(Fields f, Errors errors, Method method) {
        Object raw = f.raw("warm_start");
        if (raw == null) {
            return null;
        }
        WarmStart ref = null;
        if (raw instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.doubleValue() >= 1
                && n.doubleValue() <= Long.MAX_VALUE) {
            ref = WarmStart.ofId(n.longValue());
        } else if (raw instanceof String s && s.length() <= 40 && DNS_LABEL.matcher(s).matches()) {
            ref = new WarmStart(null, s);
        } else {
            errors.add("warm_start", "must be the id of an earlier sweep or the name of one in the same project");
            return null;
        }
        if (method != null && !method.adaptive()) {
            errors.add("warm_start", "seeds bayes search only; " + method.wireName() + " search does not learn "
                    + "from earlier trials");
            return null;
        }
        return ref;
    }

    /** The {@code bayes} block: TPE settings; only {@code startup_trials} for now. */
    private static Integer bayes(Fields f, Errors errors, Method method) {
        Map<?, ?> raw = f.object("bayes");
        if (raw == null) {
            return null;
        }
        Fields b = new Fields(raw, "bayes", errors);
        Long startup = b.integer("startup_trials", 0, 10_000);
        b.rejectUnknown();
        if (method != null && method != Method.BAYES) {
            errors.add("bayes", "applies to bayes search only, not " + method.wireName());
            return null;
        }
        return startup == null ? null : startup.intValue();
    }

    private static DataRef data(Fields f, Errors errors) {
        Map<?, ?> raw = f.object("data");
        if (raw == null) {
            return null;
        }
        Fields d = new Fields(raw, "data", errors);
        String snapshot = d.string("snapshot", 255, SNAPSHOT,
                "must be a snapshot name with an optional tag (digits:v3) or an id sha256:<64 hex digits>");
        if (snapshot == null && !d.has("snapshot")) {
            errors.add("data.snapshot", "is required");
        }
        String mount = d.string("mount_path", 1024, Pattern.compile("/\\S*"), "must be an absolute path");
        d.rejectUnknown();
        return new DataRef(snapshot, mount == null ? "/data" : mount);
    }

    private static GitRef git(Fields f, Errors errors) {
        Map<?, ?> raw = f.object("git");
        if (raw == null) {
            return null;
        }
        Fields g = new Fields(raw, "git", errors);
        GitRef ref = new GitRef(g.string("repo", 1024, null, null),
                g.string("commit", 40, GIT_COMMIT, "must be a git commit id (7 to 40 lower-case hex digits)"),
                g.string("branch", 255, null, null), g.bool("dirty"));
        g.rejectUnknown();
        return ref;
    }
}
