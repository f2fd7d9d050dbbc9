package dev.reprise.orchestrator.application.mlflow;

import dev.reprise.api.messages.MetricPoint;
import dev.reprise.orchestrator.domain.mlflow.Experiment;
import dev.reprise.orchestrator.domain.mlflow.MlflowLimits;
import dev.reprise.orchestrator.domain.mlflow.SearchFilter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * MLflow's request rules, checked before anything is read or written: names and values of metrics, params and tags
 * within MLflow's limits, filters, view types, page sizes and page tokens.
 */
final class MlflowChecks {

    private MlflowChecks() {
    }

    /** The characters MLflow allows in metric, param and tag names. */
    private static final Pattern KEY_CHARACTERS = Pattern.compile("[\\w\\-. /:]+");

    /** Checks a metric; its key only when not in {@code checkedKeys} yet (then it is added). */
    static void checkMetric(MlflowLogging.Metric m, Set<String> checkedKeys) {
        if (checkedKeys.add(m.key())) {
            checkMetricKey(m);
        }
        if (m.step() < 0) {
            throw MlflowException.invalid("Metric '" + m.key() + "' has a negative step " + m.step()
                    + "; Reprise stores steps from 0");
        }
        if (m.timestampMillis() < 0 || m.timestampMillis() > 253_402_300_799_999L) {
            throw MlflowException.invalid("Metric '" + m.key() + "' has a timestamp out of range: "
                    + m.timestampMillis());
        }
    }

    static void checkMetricKey(MlflowLogging.Metric m) {
        checkKey(m.key(), "metric");
        if (m.key().startsWith("sys/")) {
            throw MlflowException.invalid("Metric key '" + m.key() + "' uses the reserved prefix sys/");
        }
        if (m.key().length() > MetricPoint.MAX_KEY_LENGTH) {
            throw MlflowException.invalid("Metric key '" + m.key() + "' is too long");
        }
    }

    static void checkParam(String key, String value) {
        checkKey(key, "param");
        if (value == null) {
            throw MlflowException.invalid("Missing value for required parameter 'value' of param '" + key + "'");
        }
        if (value.length() > MlflowLimits.MAX_PARAM_VAL_LENGTH) {
            throw MlflowException.invalid("Param value '" + value.substring(0, 32) + "...' had length "
                    + value.length() + ", which exceeded length limit of " + MlflowLimits.MAX_PARAM_VAL_LENGTH);
        }
    }

    static void checkTag(String key, String value, int maxLength) {
        checkKey(key, "tag");
        if (value == null) {
            throw MlflowException.invalid("Missing value for required parameter 'value' of tag '" + key + "'");
        }
        if (value.length() > maxLength) {
            throw MlflowException.invalid("Tag value '" + value.substring(0, 32) + "...' had length "
                    + value.length() + ", which exceeded length limit of " + maxLength);
        }
    }

    static void checkKey(String key, String what) {
        if (key == null || key.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter 'key' of a " + what);
        }
        if (key.length() > MlflowLimits.MAX_ENTITY_KEY_LENGTH) {
            throw MlflowException.invalid(capitalised(what) + " '" + key.substring(0, 32) + "...' had length "
                    + key.length() + ", which exceeded length limit of " + MlflowLimits.MAX_ENTITY_KEY_LENGTH);
        }
        if (!KEY_CHARACTERS.matcher(key).matches() || key.contains("..") || key.startsWith("/")) {
            throw MlflowException.invalid("Invalid " + what + " name: '" + key + "'. Names may only contain "
                    + "alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).");
        }
    }

    static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static List<SearchFilter.Clause> filter(String filter) {
        try {
            return SearchFilter.parse(filter);
        } catch (SearchFilter.InvalidFilterException e) {
            throw MlflowException.invalid(e.getMessage());
        }
    }

    static String stage(String viewType) {
        if (viewType == null || viewType.isEmpty() || "ACTIVE_ONLY".equals(viewType)) {
            return "active";
        }
        return switch (viewType) {
            case "DELETED_ONLY" -> "deleted";
            case "ALL" -> null;
            default -> throw MlflowException.invalid("Invalid value '" + viewType + "' for parameter 'view_type'");
        };
    }

    static int limit(Integer maxResults, int max) {
        if (maxResults == null) {
            return MlflowLimits.DEFAULT_SEARCH_RESULTS;
        }
        if (maxResults < 1 || maxResults > max) {
            throw MlflowException.invalid("Invalid value " + maxResults + " for parameter 'max_results' supplied. "
                    + "It must be at most " + max + ", and at least 1.");
        }
        return maxResults;
    }

    /** MLflow page tokens are opaque; ours are the base64 of the next offset. */
    static int offset(String pageToken) {
        if (pageToken == null || pageToken.isEmpty()) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(new String(Base64.getUrlDecoder().decode(pageToken),
                    StandardCharsets.UTF_8));
            if (offset < 0) {
                throw new NumberFormatException();
            }
            return offset;
        } catch (IllegalArgumentException e) {
            throw MlflowException.invalid("Invalid page token, could not base64-decode");
        }
    }

    static <T> Page<T> page(List<T> rows, int offset, int limit) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        String next = Base64.getUrlEncoder().withoutPadding().encodeToString(
                String.valueOf(offset + limit).getBytes(StandardCharsets.UTF_8));
        return new Page<>(rows.subList(0, limit), next);
    }

    static long parseId(String id, String field) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException | NullPointerException e) {
            throw MlflowException.notFound("No Experiment with id=" + id + " exists");
        }
    }
}
