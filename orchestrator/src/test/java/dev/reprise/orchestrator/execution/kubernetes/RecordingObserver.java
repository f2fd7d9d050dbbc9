package dev.reprise.orchestrator.execution.kubernetes;

import dev.reprise.orchestrator.execution.TrialObservation;
import dev.reprise.orchestrator.execution.TrialObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every observation, for assertions. */
final class RecordingObserver implements TrialObserver {

    private final List<TrialObservation> seen = new CopyOnWriteArrayList<>();

    @Override
    public void observe(TrialObservation observation) {
        seen.add(observation);
    }

    List<TrialObservation> all() {
        return List.copyOf(seen);
    }

    List<TrialObservation> of(AttemptKey key) {
        return seen.stream().filter(o -> o.runId() == key.runId() && o.attempt() == key.attempt()).toList();
    }

    /** The observation types seen for an attempt, in order ("Launched", "Running", ...). */
    List<String> kinds(AttemptKey key) {
        return of(key).stream().map(o -> o.getClass().getSimpleName()).toList();
    }

    <T extends TrialObservation> T last(AttemptKey key, Class<T> type) {
        List<TrialObservation> mine = of(key);
        for (int i = mine.size() - 1; i >= 0; i--) {
            if (type.isInstance(mine.get(i))) {
                return type.cast(mine.get(i));
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " for " + key + " in " + mine);
    }
}
