package dev.reprise.orchestrator.domain.mlflow;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MLflow's rule that a run's param is immutable once set, applied to what a launched run already has: the
 * parameters its sweep gave it. Logging one of them again with the same value (as text, or the same number) is fine;
 * another value is a conflict. Params logged before are checked by the store (the run_params row).
 */
public final class ParamImmutability {

    private ParamImmutability() {
    }

    /** The logged keys whose sweep-given value differs, with that value as text. */
    public static Map<String, String> sweepConflicts(Map<?, ?> given, Map<String, String> logged) {
        Map<String, String> out = new LinkedHashMap<>();
        logged.forEach((k, v) -> {
            if (given.containsKey(k)) {
                Object g = given.get(k);
                String stored = g instanceof String s ? s : String.valueOf(g);
                if (!stored.equals(v) && !sameNumber(g, v)) {
                    out.put(k, stored);
                }
            }
        });
        return out;
    }

    private static boolean sameNumber(Object stored, String logged) {
        if (!(stored instanceof Number n)) {
            return false;
        }
        try {
            return Double.parseDouble(logged) == n.doubleValue();
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
