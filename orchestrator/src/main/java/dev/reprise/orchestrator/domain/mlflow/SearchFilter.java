package dev.reprise.orchestrator.domain.mlflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * MLflow's run search filter, parsed: clauses joined by {@code AND}, each {@code entity.key comparator value}, e.g.
 * {@code metrics.acc > 0.9 and params.lr = '0.01' and tags."team" != 'x' and attributes.status IN ('FINISHED')}.
 * Entities: {@code metrics}/{@code metric}, {@code params}/{@code param}/{@code parameters}, {@code tags}/{@code tag},
 * {@code attributes}/{@code attribute}/{@code attr}/{@code run} (a bare name is an attribute). Keys may be quoted with
 * backticks or double quotes. Refusals carry a message fit for MLflow's INVALID_PARAMETER_VALUE.
 */
public final class SearchFilter {

    /** What a clause compares. */
    public enum Entity { METRIC, PARAM, TAG, ATTRIBUTE }

    /** One comparison. {@code values} has one element except for IN and NOT IN. */
    public record Clause(Entity entity, String key, String comparator, List<Object> values) {
    }

    /** A filter that does not parse or compares in a way MLflow does not allow. */
    public static final class InvalidFilterException extends IllegalArgumentException {
        public InvalidFilterException(String message) {
            super(message);
        }
    }

    private static final Set<String> NUMERIC = Set.of("=", "!=", ">", ">=", "<", "<=");
    private static final Set<String> STRING = Set.of("=", "!=", "LIKE", "ILIKE", "IN", "NOT IN");
    /** Attributes that compare as numbers (epoch milliseconds). */
    public static final Set<String> NUMERIC_ATTRIBUTES = Set.of("start_time", "end_time", "created");
    /** Attributes that compare as strings. */
    public static final Set<String> STRING_ATTRIBUTES = Set.of("status", "run_name", "run_id", "user_id",
            "artifact_uri", "lifecycle_stage");

    /** Experiment attributes (experiments/search) that compare as numbers (epoch milliseconds). */
    public static final Set<String> NUMERIC_EXPERIMENT_ATTRIBUTES = Set.of("creation_time", "last_update_time");
    /** Experiment attributes that compare as strings. */
    public static final Set<String> STRING_EXPERIMENT_ATTRIBUTES = Set.of("name", "experiment_id");

    private final String text;
    private final Set<String> numericAttributes;
    private final Set<String> stringAttributes;
    private int pos;

    private SearchFilter(String text, Set<String> numericAttributes, Set<String> stringAttributes) {
        this.text = text;
        this.numericAttributes = numericAttributes;
        this.stringAttributes = stringAttributes;
    }

    /** The clauses of a run filter (runs/search); empty for a null or blank filter. */
    public static List<Clause> parse(String filter) {
        return parse(filter, NUMERIC_ATTRIBUTES, STRING_ATTRIBUTES);
    }

    /**
     * The clauses of an experiment filter (experiments/search: {@code name LIKE 'x%'}, {@code creation_time > N},
     * {@code tags.k = 'v'}); empty for a null or blank filter.
     */
    public static List<Clause> parseExperiments(String filter) {
        return parse(filter, NUMERIC_EXPERIMENT_ATTRIBUTES, STRING_EXPERIMENT_ATTRIBUTES);
    }

    private static List<Clause> parse(String filter, Set<String> numericAttributes, Set<String> stringAttributes) {
        List<Clause> clauses = new ArrayList<>();
        if (filter == null || filter.isBlank()) {
            return clauses;
        }
        SearchFilter p = new SearchFilter(filter, numericAttributes, stringAttributes);
        clauses.add(p.clause());
        while (p.skipSpace()) {
            String word = p.word();
            if (!"AND".equalsIgnoreCase(word)) {
                throw new InvalidFilterException("Invalid filter '" + filter + "': expected AND at position " + p.pos
                        + " (MLflow filters join clauses with AND only)");
            }
            clauses.add(p.clause());
        }
        return clauses;
    }

    private Clause clause() {
        skipSpace();
        String[] identifier = identifierText();
        Entity entity = entity(identifier[0]);
        String key = identifier[1];
        skipSpace();
        String comparator = comparator();
        List<Object> values = new ArrayList<>();
        skipSpace();
        if (comparator.endsWith("IN")) {
            expect('(');
            do {
                skipSpace();
                values.add(value());
                skipSpace();
            } while (accept(','));
            expect(')');
        } else {
            values.add(value());
        }
        return check(new Clause(entity, key, comparator, values));
    }

    private Clause check(Clause c) {
        boolean numeric = c.entity() == Entity.METRIC
                || c.entity() == Entity.ATTRIBUTE && numericAttributes.contains(c.key());
        if (c.entity() == Entity.ATTRIBUTE && !numeric && !stringAttributes.contains(c.key())) {
            throw new InvalidFilterException("Invalid attribute key '" + c.key() + "' specified. Valid keys are "
                    + new java.util.TreeSet<>(union()));
        }
        Set<String> allowed = numeric ? NUMERIC : STRING;
        if (!allowed.contains(c.comparator())) {
            throw new InvalidFilterException("Invalid comparator '" + c.comparator() + "' for "
                    + c.entity().name().toLowerCase(Locale.ROOT) + " '" + c.key() + "'; allowed: " + allowed);
        }
        for (Object v : c.values()) {
            if (numeric && !(v instanceof Double)) {
                throw new InvalidFilterException("Expected a number for " + c.entity().name().toLowerCase(Locale.ROOT)
                        + " '" + c.key() + "', found '" + v + "'");
            }
            if (!numeric && !(v instanceof String)) {
                throw new InvalidFilterException("Expected a quoted string for "
                        + c.entity().name().toLowerCase(Locale.ROOT) + " '" + c.key() + "', found " + v);
            }
        }
        return c;
    }

    private Set<String> union() {
        Set<String> all = new java.util.HashSet<>(numericAttributes);
        all.addAll(stringAttributes);
        return all;
    }

    private String[] identifierText() {
        StringBuilder prefix = new StringBuilder();
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            prefix.append(text.charAt(pos++));
        }
        if (prefix.isEmpty() && pos < text.length() && (text.charAt(pos) == '`' || text.charAt(pos) == '"')) {
            return new String[] {null, quoted(text.charAt(pos))};
        }
        if (prefix.isEmpty()) {
            throw error("expected an identifier such as metrics.accuracy");
        }
        if (!accept('.')) {
            return new String[] {null, prefix.toString()};
        }
        if (pos < text.length() && (text.charAt(pos) == '`' || text.charAt(pos) == '"')) {
            return new String[] {prefix.toString(), quoted(text.charAt(pos))};
        }
        StringBuilder key = new StringBuilder();
        while (pos < text.length() && !Character.isWhitespace(text.charAt(pos)) && "=!<>(),'\"".indexOf(
                text.charAt(pos)) < 0) {
            key.append(text.charAt(pos++));
        }
        if (key.isEmpty()) {
            throw error("expected a key after '" + prefix + ".'");
        }
        return new String[] {prefix.toString(), key.toString()};
    }

    private String comparator() {
        if (pos >= text.length()) {
            throw error("expected a comparator");
        }
        for (String op : new String[] {"!=", ">=", "<=", "<>", "=", ">", "<"}) {
            if (text.startsWith(op, pos)) {
                pos += op.length();
                return "<>".equals(op) ? "!=" : op;
            }
        }
        String word = word().toUpperCase(Locale.ROOT);
        if ("NOT".equals(word)) {
            skipSpace();
            if ("IN".equalsIgnoreCase(word())) {
                return "NOT IN";
            }
            throw error("expected IN after NOT");
        }
        if (Set.of("LIKE", "ILIKE", "IN").contains(word)) {
            return word;
        }
        throw error("unknown comparator '" + word + "'");
    }

    private Object value() {
        if (pos >= text.length()) {
            throw error("expected a value");
        }
        char c = text.charAt(pos);
        if (c == '\'' || c == '"') {
            return quoted(c);
        }
        int start = pos;
        while (pos < text.length() && "+-.0123456789eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        String number = text.substring(start, pos);
        try {
            return Double.parseDouble(number);
        } catch (NumberFormatException e) {
            pos = start;
            throw error("expected a number or a quoted string");
        }
    }

    private String quoted(char quote) {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == quote) {
                if (pos < text.length() && text.charAt(pos) == quote) {
                    sb.append(quote);
                    pos++;
                    continue;
                }
                return sb.toString();
            }
            sb.append(c);
        }
        throw error("unterminated quoted text");
    }

    private String word() {
        int start = pos;
        while (pos < text.length() && Character.isLetter(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    /** Skips whitespace; whether anything is left. */
    private boolean skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        return pos < text.length();
    }

    private boolean accept(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        skipSpace();
        if (!accept(c)) {
            throw error("expected '" + c + "'");
        }
    }

    private InvalidFilterException error(String what) {
        return new InvalidFilterException("Invalid filter '" + text + "': " + what + " at position " + pos);
    }

    static Entity entity(String prefix) {
        if (prefix == null) {
            return Entity.ATTRIBUTE;
        }
        return switch (prefix.toLowerCase(Locale.ROOT)) {
            case "metrics", "metric" -> Entity.METRIC;
            case "params", "param", "parameters", "parameter" -> Entity.PARAM;
            case "tags", "tag" -> Entity.TAG;
            case "attributes", "attribute", "attr", "run" -> Entity.ATTRIBUTE;
            default -> throw new InvalidFilterException("Invalid entity type '" + prefix
                    + "'. Valid values are ['metrics', 'params', 'tags', 'attributes']");
        };
    }
}
