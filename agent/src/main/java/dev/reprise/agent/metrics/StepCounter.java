package dev.reprise.agent.metrics;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-key steps: a value without an explicit step gets the key's previous step + 1, starting at 0; an explicit step
 * is taken as is and becomes the key's previous step. Not thread-safe.
 */
final class StepCounter {

    private final Map<String, Long> lastStep = new HashMap<>();

    long resolve(String key, Long explicit) {
        long step;
        if (explicit != null) {
            step = explicit;
        } else {
            Long last = lastStep.get(key);
            step = last == null ? 0 : last + 1;
        }
        lastStep.put(key, step);
        return step;
    }
}
