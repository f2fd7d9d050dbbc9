package dev.reprise.orchestrator.domain.search;

import dev.reprise.orchestrator.domain.spec.ParameterSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Grid search: the cartesian product of every parameter's values, in declaration order, the last parameter
 * varying fastest. Any point can be computed from its index without materialising the grid.
 */
public final class GridExpander {

    private GridExpander() {
    }

    /** The grid point at {@code index} (0-based). */
    public static Map<String, Object> point(Map<String, ParameterSpec> parameters, long index) {
        List<String> names = new ArrayList<>(parameters.keySet());
        Object[] values = new Object[names.size()];
        long rest = index;
        for (int i = names.size() - 1; i >= 0; i--) {
            ParameterSpec p = parameters.get(names.get(i));
            long n = p.gridSize();
            values[i] = p.gridValue(rest % n);
            rest /= n;
        }
        if (rest != 0 || index < 0) {
            throw new IndexOutOfBoundsException("grid index " + index + " is outside the grid");
        }
        Map<String, Object> point = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            point.put(names.get(i), values[i]);
        }
        return point;
    }
}
