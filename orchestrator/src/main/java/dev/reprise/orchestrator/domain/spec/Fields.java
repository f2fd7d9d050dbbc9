package dev.reprise.orchestrator.domain.spec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Typed, path-aware reading of one object of a plain document tree (maps, lists, strings, numbers, booleans).
 * Every read records which keys were consumed so that {@link #rejectUnknown()} can name unknown fields.
 */
final class Fields {

    private static final Pattern NUMERIC = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private final Map<?, ?> map;
    private final String path;
    private final Errors errors;
    private final Set<String> consumed = new LinkedHashSet<>();

    Fields(Map<?, ?> map, String path, Errors errors) {
        this.map = map;
        this.path = path;
        this.errors = errors;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return map.containsKey(key) && map.get(key) != null;
    }

    Object raw(String key) {
        consumed.add(key);
        return map.get(key);
    }

    String string(String key, int maxLength, Pattern pattern, String patternHint) {
        Object v = raw(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            errors.add(path(key), "must be a string");
            return null;
        }
        return checkString(path(key), s, maxLength, pattern, patternHint, errors);
    }

    static String checkString(String field, String s, int maxLength, Pattern pattern, String hint, Errors errors) {
        if (s.isEmpty()) {
            errors.add(field, "must not be empty");
            return null;
        }
        if (s.length() > maxLength) {
            errors.add(field, "must be at most " + maxLength + " characters long");
            return null;
        }
        if (pattern != null && !pattern.matcher(s).matches()) {
            errors.add(field, hint);
            return null;
        }
        return s;
    }

    Long integer(String key, long min, long max) {
        Object v = raw(key);
        if (v == null) {
            return null;
        }
        Long n = asLong(v);
        if (n == null) {
            errors.add(path(key), "must be an integer");
            return null;
        }
        if (n < min || n > max) {
            errors.add(path(key), "must be between " + min + " and " + max);
            return null;
        }
        return n;
    }

    Double number(String key) {
        Object v = raw(key);
        if (v == null) {
            return null;
        }
        Double d = asDouble(v);
        if (d == null || !Double.isFinite(d)) {
            errors.add(path(key), "must be a finite number");
            return null;
        }
        return d;
    }

    Boolean bool(String key) {
        Object v = raw(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Boolean b)) {
            errors.add(path(key), "must be true or false");
            return null;
        }
        return b;
    }

    Map<?, ?> object(String key) {
        Object v = raw(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map<?, ?> m)) {
            errors.add(path(key), "must be an object");
            return null;
        }
        return m;
    }

    List<?> list(String key) {
        Object v = raw(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof List<?> l)) {
            errors.add(path(key), "must be a list");
            return null;
        }
        return l;
    }

    void rejectUnknown() {
        for (Object k : map.keySet()) {
            if (!(k instanceof String key)) {
                errors.add(path, "field names must be strings, got " + k);
            } else if (!consumed.contains(key)) {
                errors.add(path(key), "unknown field");
            }
        }
    }

    /** Integral numbers only; numeric strings such as {@code "1e3"} are not integers. */
    static Long asLong(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 64 ? b.longValue() : null;
        }
        return null;
    }

    /**
     * Numbers, plus strings written like numbers: YAML 1.1 (and so PyYAML and SnakeYAML) reads {@code 1e-5}
     * without a dot as a string, and W&B users write it that way.
     */
    static Double asDouble(Object v) {
        if (v instanceof Number n && !(v instanceof BigDecimal) && !(v instanceof BigInteger)) {
            return n.doubleValue();
        }
        if (v instanceof BigDecimal || v instanceof BigInteger) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof String s && NUMERIC.matcher(s).matches()) {
            return Double.parseDouble(s);
        }
        return null;
    }

    static boolean isIntegral(Object v) {
        return asLong(v) != null;
    }
}
