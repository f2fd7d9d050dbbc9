package dev.reprise.orchestrator.metrics;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fans out what the ingest just committed to the live streams (Server-Sent Events) of this instance. The ingest
 * publishes after each database commit, so a stream never shows a point the database does not have. A subscriber
 * that cannot keep up loses updates (they stay in the database) instead of holding memory.
 */
@ApplicationScoped
public class LiveFeed {

    private final Map<Long, Set<MultiEmitter<? super LiveUpdate>>> subscribers = new ConcurrentHashMap<>();

    /** The updates of one run from now on, until the subscriber cancels. */
    public Multi<LiveUpdate> follow(long runId) {
        return Multi.createFrom().emitter(emitter -> {
            subscribers.computeIfAbsent(runId, id -> ConcurrentHashMap.newKeySet()).add(emitter);
            emitter.onTermination(() -> subscribers.computeIfPresent(runId, (id, set) -> {
                set.remove(emitter);
                return set.isEmpty() ? null : set;
            }));
        }, BackPressureStrategy.DROP);
    }

    public boolean hasSubscribers(long runId) {
        return subscribers.containsKey(runId);
    }

    /** Subscribers currently following any run. */
    public int subscriberCount() {
        return subscribers.values().stream().mapToInt(Set::size).sum();
    }

    public void publish(LiveUpdate update) {
        Set<MultiEmitter<? super LiveUpdate>> set = subscribers.get(update.runId());
        if (set != null) {
            set.forEach(e -> e.emit(update));
        }
    }
}
