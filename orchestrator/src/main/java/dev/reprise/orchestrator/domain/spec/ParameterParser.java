package dev.reprise.orchestrator.domain.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads one parameter block in the W&B Sweeps vocabulary, inferring the distribution as W&B does. */
final class ParameterParser {

    static final List<String> SUPPORTED = List.of("constant", "categorical", "int_uniform", "uniform", "q_uniform",
            "log_uniform", "log_uniform_values", "q_log_uniform_values", "normal", "q_normal", "log_normal",
            "q_log_normal");
    static final Set<String> NOT_YET = Set.of("beta", "q_beta", "inv_log_uniform", "inv_log_uniform_values",
            "q_log_uniform");

    private final SpecLimits limits;

    ParameterParser(SpecLimits limits) {
        this.limits = limits;
    }

    ParameterSpec parse(Map<?, ?> block, String path, Errors errors) {
        Fields f = new Fields(block, path, errors);
        if (block.containsKey("parameters")) {
            f.raw("parameters");
            errors.add(f.path("parameters"), "nested parameters are not supported yet; flatten them into "
                    + "top-level names such as 'optimizer.lr'");
        }
        String distribution = distribution(f, block, path, errors);
        if (distribution == null) {
            return null;
        }
        int before = errors.size();
        ParameterSpec spec = switch (distribution) {
            case "constant" -> constant(f, errors);
            case "categorical" -> categorical(f, errors);
            case "int_uniform" -> intUniform(f, errors);
            case "uniform" -> uniform(f, errors);
            case "q_uniform" -> qUniform(f, errors);
            case "log_uniform" -> logUniform(f, errors);
            case "log_uniform_values" -> logUniformValues(f, errors);
            case "q_log_uniform_values" -> qLogUniformValues(f, errors);
            case "normal", "q_normal" -> normal(f, errors, distribution.startsWith("q_"), false);
            case "log_normal", "q_log_normal" -> normal(f, errors, distribution.startsWith("q_"), true);
            default -> throw new IllegalStateException(distribution);
        };
        f.rejectUnknown();
        return errors.size() == before ? spec : null;
    }

    private static String distribution(Fields f, Map<?, ?> block, String path, Errors errors) {
        Object declared = f.raw("distribution");
        if (declared != null) {
            if (!(declared instanceof String name)) {
                errors.add(f.path("distribution"), "must be a string");
                return null;
            }
            if (NOT_YET.contains(name)) {
                errors.add(f.path("distribution"), "distribution '" + name + "' is not supported yet; supported: "
                        + String.join(", ", SUPPORTED));
                return null;
            }
            if (!SUPPORTED.contains(name)) {
                errors.add(f.path("distribution"), "unknown distribution '" + name + "'; supported: "
                        + String.join(", ", SUPPORTED));
                return null;
            }
            return name;
        }
        if (block.containsKey("value")) {
            return "constant";
        }
        if (block.containsKey("values")) {
            return "categorical";
        }
        if (block.containsKey("min") && block.containsKey("max")) {
            Object min = block.get("min");
            Object max = block.get("max");
            if (Fields.isIntegral(min) && Fields.isIntegral(max)) {
                return "int_uniform";
            }
            return "uniform";
        }
        errors.add(path, "cannot tell the distribution: give 'value', 'values', 'min' and 'max', "
                + "or an explicit 'distribution'");
        return null;
    }

    private static ParameterSpec constant(Fields f, Errors errors) {
        Object value = f.raw("value");
        if (!isScalar(value)) {
            errors.add(f.path("value"), value == null ? "is required for a constant parameter"
                    : "must be a string, number or boolean");
            return null;
        }
        return new ParameterSpec.Constant(value);
    }

    private ParameterSpec categorical(Fields f, Errors errors) {
        List<?> values = f.list("values");
        if (values == null) {
            if (!f.has("values")) {
                errors.add(f.path("values"), "is required for a categorical parameter");
            }
            return null;
        }
        if (values.isEmpty()) {
            errors.add(f.path("values"), "must not be empty");
            return null;
        }
        if (values.size() > limits.maxCategoricalValues()) {
            errors.add(f.path("values"), "must have at most " + limits.maxCategoricalValues() + " values");
            return null;
        }
        boolean scalars = true;
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null || !isScalar(values.get(i))) {
                errors.add(f.path("values") + "[" + i + "]", "must be a string, number or boolean");
                scalars = false;
            }
        }
        List<Double> probabilities = probabilities(f, errors, values.size());
        return scalars ? new ParameterSpec.Categorical(new ArrayList<>(values), probabilities) : null;
    }

    private static List<Double> probabilities(Fields f, Errors errors, int count) {
        List<?> raw = f.list("probabilities");
        if (raw == null) {
            return null;
        }
        if (raw.size() != count) {
            errors.add(f.path("probabilities"), "must have one entry per value (" + count + ")");
            return null;
        }
        List<Double> out = new ArrayList<>();
        double sum = 0;
        for (int i = 0; i < raw.size(); i++) {
            Double p = Fields.asDouble(raw.get(i));
            if (p == null || !(p >= 0 && p <= 1)) {
                errors.add(f.path("probabilities") + "[" + i + "]", "must be a number between 0 and 1");
                return null;
            }
            out.add(p);
            sum += p;
        }
        if (Math.abs(sum - 1.0) > 1e-6) {
            errors.add(f.path("probabilities"), "must add up to 1 (they add up to " + sum + ")");
            return null;
        }
        return out;
    }

    private static ParameterSpec intUniform(Fields f, Errors errors) {
        Long min = requiredLong(f, errors, "min");
        Long max = requiredLong(f, errors, "max");
        Long q = f.has("q") ? f.integer("q", 1, Long.MAX_VALUE) : Long.valueOf(1);
        if (!f.has("q")) {
            f.raw("q");
        }
        if (min == null || max == null || q == null) {
            return null;
        }
        if (min > max) {
            errors.add(f.path("min"), "min (" + min + ") must not exceed max (" + max + ")");
            return null;
        }
        return new ParameterSpec.IntUniform(min, max, q);
    }

    private static ParameterSpec uniform(Fields f, Errors errors) {
        double[] r = range(f, errors, true);
        return r == null ? null : new ParameterSpec.Uniform(r[0], r[1]);
    }

    private static ParameterSpec qUniform(Fields f, Errors errors) {
        double[] r = range(f, errors, false);
        Double q = quantum(f, errors);
        if (r == null || q == null) {
            return null;
        }
        if (Quantised.firstIndex(r[0], q) > Quantised.lastIndex(r[1], q)) {
            errors.add(f.path("q"), "no multiple of q (" + q + ") lies between min and max");
            return null;
        }
        return new ParameterSpec.QUniform(r[0], r[1], q);
    }

    private static ParameterSpec logUniform(Fields f, Errors errors) {
        double[] r = range(f, errors, true);
        if (r == null) {
            return null;
        }
        if (r[1] > 700 || r[0] < -700) {
            errors.add(f.path("max"), "log_uniform takes natural-log exponents; e^" + r[1]
                    + " is out of range (did you mean log_uniform_values?)");
            return null;
        }
        return new ParameterSpec.LogUniform(r[0], r[1]);
    }

    private static ParameterSpec logUniformValues(Fields f, Errors errors) {
        double[] r = range(f, errors, true);
        if (r == null) {
            return null;
        }
        if (r[0] <= 0) {
            errors.add(f.path("min"), "must be greater than 0 for a log scale");
            return null;
        }
        return new ParameterSpec.LogUniformValues(r[0], r[1]);
    }

    private static ParameterSpec qLogUniformValues(Fields f, Errors errors) {
        double[] r = range(f, errors, false);
        Double q = quantum(f, errors);
        if (r == null || q == null) {
            return null;
        }
        if (r[0] <= 0) {
            errors.add(f.path("min"), "must be greater than 0 for a log scale");
            return null;
        }
        if (Quantised.firstIndex(r[0], q) > Quantised.lastIndex(r[1], q)) {
            errors.add(f.path("q"), "no multiple of q (" + q + ") lies between min and max");
            return null;
        }
        return new ParameterSpec.QLogUniformValues(r[0], r[1], q);
    }

    private static ParameterSpec normal(Fields f, Errors errors, boolean quantised, boolean log) {
        Double mu = f.has("mu") ? f.number("mu") : Double.valueOf(0);
        Double sigma = f.has("sigma") ? f.number("sigma") : Double.valueOf(1);
        f.raw("mu");
        f.raw("sigma");
        Double q = quantised ? quantum(f, errors) : null;
        if (mu == null || sigma == null || (quantised && q == null)) {
            return null;
        }
        if (sigma <= 0) {
            errors.add(f.path("sigma"), "must be greater than 0");
            return null;
        }
        return log ? new ParameterSpec.LogNormal(mu, sigma, q) : new ParameterSpec.Normal(mu, sigma, q);
    }

    /** min and max, both required and finite; strict requires min &lt; max, otherwise min &lt;= max. */
    private static double[] range(Fields f, Errors errors, boolean strict) {
        Double min = requiredNumber(f, errors, "min");
        Double max = requiredNumber(f, errors, "max");
        if (min == null || max == null) {
            return null;
        }
        if (strict ? min >= max : min > max) {
            errors.add(f.path("min"), "min (" + min + ") must " + (strict ? "be less than" : "not exceed")
                    + " max (" + max + ")");
            return null;
        }
        return new double[] {min, max};
    }

    private static Double quantum(Fields f, Errors errors) {
        if (!f.has("q")) {
            f.raw("q");
            return 1.0;
        }
        Double q = f.number("q");
        if (q != null && q <= 0) {
            errors.add(f.path("q"), "must be greater than 0");
            return null;
        }
        return q;
    }

    private static Long requiredLong(Fields f, Errors errors, String key) {
        if (!f.has(key)) {
            f.raw(key);
            errors.add(f.path(key), "is required");
            return null;
        }
        return f.integer(key, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private static Double requiredNumber(Fields f, Errors errors, String key) {
        if (!f.has(key)) {
            f.raw(key);
            errors.add(f.path(key), "is required");
            return null;
        }
        return f.number(key);
    }

    private static boolean isScalar(Object v) {
        return v instanceof String || v instanceof Number || v instanceof Boolean;
    }
}
