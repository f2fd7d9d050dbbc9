package dev.reprise.orchestrator.application.mlflow;

import dev.reprise.orchestrator.persistence.IngestBatch;
import dev.reprise.orchestrator.persistence.IngestStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * Group commit of the metric points that concurrent MLflow requests log: each caller hands its points over and
 * waits; whichever caller finds a writer slot free takes what is waiting (up to {@link #MAX_POINTS} points) and
 * writes it through the agent path's bulk write ({@link IngestStore#write}: binary COPY into a staging table, then
 * one {@code INSERT ... ON CONFLICT DO NOTHING}, summaries and rollups) in one transaction. A caller returns only
 * after its points are committed, so an answer still means "stored"; point identity keeps a retried request from
 * doubling anything.
 *
 * <p>When a group's transaction fails, its requests are written again one by one, so a request fails only for its
 * own points.
 */
@ApplicationScoped
public class PointCommits {

    /** At most this many points in one transaction (ten full MLflow batches). */
    static final int MAX_POINTS = 10_000;

    /** Transactions in flight at once: one writes while the next group gathers and the request threads parse. */
    static final int WRITERS = 2;

    private final Function<IngestBatch, Object> writer;
    private final Deque<Pending> waiting = new ArrayDeque<>();
    private int writing;

    @jakarta.inject.Inject
    public PointCommits(IngestStore store) {
        this(batch -> {
            try {
                return store.write(batch);
            } catch (SQLException e) {
                throw new Failed(e);
            }
        });
    }

    PointCommits(Function<IngestBatch, Object> writer) {
        this.writer = writer;
    }

    /** Thrown by {@link #commit} when the database refused these points. */
    public static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failed(SQLException cause) {
            super(cause.getMessage(), cause);
        }

        public SQLException sqlCause() {
            return (SQLException) getCause();
        }
    }

    /** Stores the points (in a transaction shared with other callers'); returns after the commit. */
    public void commit(List<IngestBatch.Point> points) {
        if (points.isEmpty()) {
            return;
        }
        Pending me = new Pending(points);
        synchronized (this) {
            waiting.add(me);
        }
        boolean interrupted = false;
        try {
            while (true) {
                List<Pending> group;
                synchronized (this) {
                    while (!me.done && (me.taken || writing >= WRITERS)) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            interrupted = true;
                        }
                    }
                    if (me.done) {
                        break;
                    }
                    group = take();
                    writing++;
                }
                try {
                    write(group);
                } finally {
                    synchronized (this) {
                        writing--;
                        notifyAll();
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (me.failure != null) {
            throw me.failure;
        }
    }

    /** How many requests wait for a writer. */
    synchronized int queued() {
        return waiting.size();
    }

    /** The waiting requests, oldest first, up to {@link #MAX_POINTS} points (at least one request). */
    private List<Pending> take() {
        List<Pending> group = new ArrayList<>();
        int points = 0;
        while (!waiting.isEmpty() && (group.isEmpty() || points + waiting.peek().points.size() <= MAX_POINTS)) {
            Pending p = waiting.poll();
            p.taken = true;
            points += p.points.size();
            group.add(p);
        }
        return group;
    }

    private void write(List<Pending> group) {
        RuntimeException[] failures = new RuntimeException[group.size()];
        boolean completed = false;
        try {
            writeWithFallback(group, failures);
            completed = true;
        } finally {
            synchronized (this) {
                for (int i = 0; i < group.size(); i++) {
                    group.get(i).failure = completed || failures[i] != null ? failures[i]
                            : new IllegalStateException("the write did not complete");
                    group.get(i).done = true;
                }
            }
        }
    }

    /** The group in one transaction; when that fails, each request alone, so each learns its own failure. */
    private void writeWithFallback(List<Pending> group, RuntimeException[] failures) {
        try {
            writeTogether(group);
        } catch (RuntimeException together) {
            if (group.size() == 1) {
                failures[0] = together;
                return;
            }
            for (int i = 0; i < group.size(); i++) {
                try {
                    writeTogether(List.of(group.get(i)));
                } catch (RuntimeException alone) {
                    failures[i] = alone;
                }
            }
        }
    }

    private void writeTogether(List<Pending> group) {
        List<IngestBatch.Point> all = group.size() == 1 ? group.get(0).points : new ArrayList<>();
        if (group.size() > 1) {
            group.forEach(p -> all.addAll(p.points));
        }
        writer.apply(new IngestBatch(all, List.of(), List.of(), List.of(), List.of(), List.of()));
    }

    /** One caller's points; its fields are guarded by the monitor of {@link PointCommits}. */
    private static final class Pending {
        final List<IngestBatch.Point> points;
        boolean taken;
        boolean done;
        RuntimeException failure;

        Pending(List<IngestBatch.Point> points) {
            this.points = points;
        }
    }
}
