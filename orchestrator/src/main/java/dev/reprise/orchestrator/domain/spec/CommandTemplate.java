package dev.reprise.orchestrator.domain.spec;

import dev.reprise.orchestrator.domain.error.FieldError;
import dev.reprise.orchestrator.domain.spec.SweepSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a trial's argv from the sweep's {@code command}/{@code args} with W&B's macros: {@code ${env}} (dropped),
 * {@code ${interpreter}}, {@code ${program}}, {@code ${args}}, {@code ${args_no_hyphens}},
 * {@code ${args_no_boolean_flags}}, {@code ${args_json}}, plus Reprise's {@code ${params.NAME}}. Other
 * {@code ${...}} text is left alone, so shell variables in {@code sh -c} commands keep working.
 */
public final class CommandTemplate {

    public static final List<String> DEFAULT_COMMAND = List.of("${env}", "${interpreter}", "${program}", "${args}");
    static final String INTERPRETER = "python";
    private static final List<String> LIST_MACROS = List.of("${args}", "${args_no_hyphens}",
            "${args_no_boolean_flags}", "${env}");
    private static final Pattern PARAM_REF = Pattern.compile("\\$\\{params\\.([^}]*)}");

    private CommandTemplate() {
    }

    /** Problems with the macros in {@code tokens}; {@code field} names the list ("command" or "args"). */
    public static List<FieldError> validate(List<String> tokens, Collection<String> parameterNames,
            boolean hasProgram, String field) {
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            String path = field + "[" + i + "]";
            if (!hasProgram && token.contains("${program}")) {
                errors.add(new FieldError(path, "${program} is used but no program is set"));
            }
            if (token.contains("${args_json_file}")) {
                errors.add(new FieldError(path, "${args_json_file} is not supported yet; use ${args_json} or "
                        + "the REPRISE_PARAMS environment variable"));
            }
            for (String macro : LIST_MACROS) {
                if (token.contains(macro) && !token.equals(macro)) {
                    errors.add(new FieldError(path, macro + " expands to several arguments and must be a list "
                            + "element of its own"));
                }
            }
            Matcher m = PARAM_REF.matcher(token);
            while (m.find()) {
                if (!parameterNames.contains(m.group(1))) {
                    errors.add(new FieldError(path, "${params." + m.group(1) + "} names no declared parameter"));
                }
            }
        }
        return errors;
    }

    /** The argv of one trial. */
    public static List<String> render(SweepSpec spec, Map<String, Object> parameters) {
        List<String> template = new ArrayList<>(spec.command() != null ? spec.command() : DEFAULT_COMMAND);
        template.addAll(spec.args());
        List<String> argv = new ArrayList<>();
        for (String token : template) {
            switch (token) {
                case "${env}" -> {
                }
                case "${args}" -> parameters.forEach((k, v) -> argv.add("--" + k + "=" + format(v)));
                case "${args_no_hyphens}" -> parameters.forEach((k, v) -> argv.add(k + "=" + format(v)));
                case "${args_no_boolean_flags}" -> parameters.forEach((k, v) -> {
                    if (v instanceof Boolean b) {
                        if (b) {
                            argv.add("--" + k);
                        }
                    } else {
                        argv.add("--" + k + "=" + format(v));
                    }
                });
                default -> argv.add(substitute(token, spec, parameters));
            }
        }
        return argv;
    }

    private static String substitute(String token, SweepSpec spec, Map<String, Object> parameters) {
        String out = token.replace("${interpreter}", INTERPRETER)
                .replace("${program}", spec.program() == null ? "" : spec.program());
        if (out.contains("${args_json}")) {
            out = out.replace("${args_json}", toJson(parameters));
        }
        Matcher m = PARAM_REF.matcher(out);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(format(parameters.get(m.group(1)))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Numbers as a person writes them: 0.001 rather than 1.0E-3, 32 rather than 32.0 only for integers. */
    public static String format(Object value) {
        if (value instanceof Double d) {
            String s = Double.toString(d);
            if (s.contains("E") && Double.isFinite(d)) {
                return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
            }
            return s;
        }
        return String.valueOf(value);
    }

    /** A minimal JSON object writer for scalar parameter values (the domain has no JSON library). */
    public static String toJson(Map<String, Object> parameters) {
        StringBuilder sb = new StringBuilder("{");
        parameters.forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(quote(k)).append(':');
            if (v instanceof String s) {
                sb.append(quote(s));
            } else if (v instanceof Double d && !Double.isFinite(d)) {
                sb.append(quote(d.toString()));
            } else {
                sb.append(format(v));
            }
        });
        return sb.append('}').toString();
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
