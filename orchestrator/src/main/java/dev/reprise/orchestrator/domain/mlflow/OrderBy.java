package dev.reprise.orchestrator.domain.mlflow;

import java.util.Locale;

/**
 * One MLflow {@code order_by} term: {@code metrics.acc DESC}, {@code params.lr}, {@code attributes.start_time ASC},
 * {@code start_time}. A bare name is an attribute.
 */
public record OrderBy(SearchFilter.Entity entity, String key, boolean ascending) {

    public static OrderBy parse(String term) {
        String t = term.strip();
        boolean ascending = true;
        String upper = t.toUpperCase(Locale.ROOT);
        if (upper.endsWith(" DESC")) {
            ascending = false;
            t = t.substring(0, t.length() - 5).strip();
        } else if (upper.endsWith(" ASC")) {
            t = t.substring(0, t.length() - 4).strip();
        }
        if (t.isEmpty()) {
            throw new SearchFilter.InvalidFilterException("Invalid order_by clause '" + term + "'");
        }
        int dot = t.indexOf('.');
        String prefix = dot < 0 ? null : t.substring(0, dot);
        String key = dot < 0 ? t : t.substring(dot + 1);
        if (key.length() >= 2 && (key.charAt(0) == '`' || key.charAt(0) == '"')
                && key.charAt(key.length() - 1) == key.charAt(0)) {
            key = key.substring(1, key.length() - 1);
        }
        SearchFilter.Entity entity = SearchFilter.entity(prefix);
        if (entity == SearchFilter.Entity.ATTRIBUTE && !SearchFilter.NUMERIC_ATTRIBUTES.contains(key)
                && !SearchFilter.STRING_ATTRIBUTES.contains(key)) {
            throw new SearchFilter.InvalidFilterException("Invalid order_by attribute '" + key + "'");
        }
        return new OrderBy(entity, key, ascending);
    }
}
