package dev.reprise.orchestrator.domain.provenance;

import dev.reprise.orchestrator.domain.security.SecretRedactor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a sweep document shows once its secrets are hidden: the one place every view of a spec (the sweep's
 * {@code spec} and {@code specText}, the provenance's {@code spec.text} and {@code env}) goes through before it is
 * answered. A value is secret when {@link SecretRedactor} says so by its variable's name or by its shape; such a value
 * is replaced wherever it appears in the submitted text (as is, JSON-escaped, or as the value of its variable),
 * not only in {@code env}. References to secrets ({@code {secret: NAME/KEY}}) carry no secret and stay visible.
 *
 * <p>The stored documents keep the original text (re-runs need it, and its SHA-256 is part of the provenance); only
 * what is shown is redacted. Pure.
 */
public final class SpecRedaction {

    private SpecRedaction() {
    }

    /** The environment as shown: each secret value replaced by {@link SecretRedactor#MASK}. */
    public static Map<String, String> env(Map<String, String> env) {
        return env == null ? null : SecretRedactor.redact(env);
    }

    /**
     * A normalised spec tree (as stored, JSON objects as maps) with the secret values of its {@code env} replaced.
     * Other entries are returned as they are; the input is not changed.
     */
    public static Object tree(Object spec) {
        if (!(spec instanceof Map<?, ?> map) || !(map.get("env") instanceof Map<?, ?> env)) {
            return spec;
        }
        Map<Object, Object> out = new LinkedHashMap<>(map);
        Map<Object, Object> shown = new LinkedHashMap<>();
        env.forEach((k, v) -> shown.put(k, v instanceof String s ? SecretRedactor.redact(String.valueOf(k), s) : v));
        out.put("env", shown);
        return out;
    }

    /** The secret values of a spec tree's {@code env} (see {@link #tree}). */
    public static Map<String, String> secrets(Object spec) {
        return spec instanceof Map<?, ?> map && map.get("env") instanceof Map<?, ?> env ? secretsOf(env) : Map.of();
    }

    /** The secret entries of an environment: name to value. */
    public static Map<String, String> secretsOf(Map<?, ?> env) {
        Map<String, String> secrets = new LinkedHashMap<>();
        if (env != null) {
            env.forEach((k, v) -> {
                if (v instanceof String s && !SecretRedactor.redact(String.valueOf(k), s).equals(s)) {
                    secrets.put(String.valueOf(k), s);
                }
            });
        }
        return secrets;
    }

    /**
     * The submitted document with the given secret variables' values hidden: every {@code NAME: value} /
     * {@code "NAME": "value"} assignment of a secret variable becomes {@code NAME: "[redacted]"} (so the text still
     * parses), and every other occurrence of a secret value of at least four characters (also JSON-escaped) becomes
     * {@code [redacted]}, longest first.
     */
    public static String text(String text, Map<String, String> secrets) {
        if (text == null || text.isEmpty() || secrets.isEmpty()) {
            return text;
        }
        String out = text;
        for (String name : secrets.keySet()) {
            Pattern assignment = Pattern.compile("((?<![A-Za-z0-9_])[\"']?" + Pattern.quote(name)
                    + "[\"']?[ \\t]*[:=][ \\t]*)(\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\n]|'')*'|[^\\s,#}\\]]+)");
            out = assignment.matcher(out).replaceAll(m -> m.group(2).contains(SecretRedactor.MASK)
                    ? Matcher.quoteReplacement(m.group()) : Matcher.quoteReplacement(m.group(1)
                    + (m.group(2).startsWith("'") ? "'" + SecretRedactor.MASK + "'"
                    : "\"" + SecretRedactor.MASK + "\"")));
        }
        List<String> literals = new ArrayList<>();
        for (String value : secrets.values()) {
            literals.add(value);
            String escaped = jsonEscaped(value);
            if (!escaped.equals(value)) {
                literals.add(escaped);
            }
        }
        return SecretRedactor.mask(out, literals);
    }

    private static String jsonEscaped(String value) {
        StringBuilder sb = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
