package dev.reprise.orchestrator.domain.spec;

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
    private static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    static final Pattern NO_CONTROL = Pattern.compile("[^\\p{Cntrl}]+");

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
        List<String> command = RunSections.strings(f, errors, "command", 256);
        List<String> args = RunSections.strings(f, errors, "args", 256);
        Map<String, SecretRef> secretEnv = new LinkedHashMap<>();
        Map<String, String> env = RunSections.env(f, errors, secretEnv);
        Resources resources = RunSections.resources(f, errors, limits.maxNodes());
        Map<String, ParameterSpec> parameters = parameters(f, errors);
        Method method = SearchSections.method(f, errors);
        MetricSpec metric = SearchSections.metric(f, errors);
        Integer requestedTrials = SearchSections.maxTrials(f, errors);
        Long parallelism = f.integer("parallelism", 1, 1000);
        Long maxFailed = f.integer("max_failed_trials", 0, Integer.MAX_VALUE);
        Long seed = f.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        String queue = f.string("queue", 63, DNS_LABEL, DNS_HINT);
        Long priority = f.integer("priority", -1000, 1000);
        DataRef data = InputSections.data(f, errors);
        GitRef git = InputSections.git(f, errors);
        EarlyTermination earlyTerminate = SearchSections.earlyTerminate(f, errors, metric);
        WarmStart warmStart = SearchSections.warmStart(f, errors, method);
        Integer startupTrials = SearchSections.bayes(f, errors, method);
        Double budgetGpuHours = SearchSections.budget(f, errors);
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
}
