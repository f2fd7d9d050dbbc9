package dev.reprise.orchestrator.scheduling;

import dev.reprise.orchestrator.execution.TrialObservation;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Executor observations in the order they came, applied one by one; one that cannot be applied because the database
 * is away is kept, with everything behind it, and applied when the database answers again. A finished trial's
 * completion is therefore never dropped (and the trial never re-run) because the database blinked. An observation
 * that fails for another reason (it can never succeed) is logged and dropped, so it cannot block the others.
 */
final class PendingObservations {

    private static final Logger LOG = Logger.getLogger(PendingObservations.class);
    /** Beyond this many waiting observations the oldest go (a Kubernetes informer reports them again on restart). */
    static final int CAPACITY = 100_000;

    private final Predicate<TrialObservation> apply;
    private final Consumer<TrialObservation> applied;
    private final Deque<TrialObservation> waiting = new ArrayDeque<>();
    private final ReentrantLock draining = new ReentrantLock();
    private boolean away;

    /**
     * @param apply   applies one observation (throws when it cannot)
     * @param applied told of each observation once it is applied or ignored for good
     */
    PendingObservations(Predicate<TrialObservation> apply, Consumer<TrialObservation> applied) {
        this.apply = apply;
        this.applied = applied;
    }

    /** Queues the observation behind those waiting and applies what it can now. */
    void offer(TrialObservation o) {
        synchronized (waiting) {
            if (waiting.size() >= CAPACITY) {
                LOG.errorf("%d executor observations wait for the database; dropping the oldest: %s", CAPACITY,
                        waiting.pollFirst());
            }
            waiting.addLast(o);
        }
        // a thread already applying will reach this one; the scheduler's loop drains what is left
        if (draining.tryLock()) {
            try {
                drainLocked();
            } finally {
                draining.unlock();
            }
        }
    }

    /** Applies what waits, in order; returns whether nothing waits any more. */
    boolean drain() {
        draining.lock();
        try {
            return drainLocked();
        } finally {
            draining.unlock();
        }
    }

    int size() {
        synchronized (waiting) {
            return waiting.size();
        }
    }

    private boolean drainLocked() {
        while (true) {
            TrialObservation next;
            synchronized (waiting) {
                next = waiting.peekFirst();
            }
            if (next == null) {
                if (away) {
                    away = false;
                    LOG.info("the database answers again: every waiting executor observation is applied");
                }
                return true;
            }
            try {
                apply.test(next);
            } catch (RuntimeException e) {
                if (databaseAway(e)) {
                    if (!away) {
                        away = true;
                        LOG.warnf("could not apply %s: the database is away (%s); it is kept, with what comes after"
                                + " it, and applied when the database answers again", next, rootMessage(e));
                    }
                    return false;
                }
                LOG.errorf(e, "could not apply %s; dropped", next);
            }
            synchronized (waiting) {
                waiting.pollFirst();
            }
            try {
                applied.accept(next);
            } catch (RuntimeException e) {
                LOG.warnf("the executor could not forget %s: %s", next, e.toString());
            }
        }
    }

    /** Whether {@code e} says the database cannot be reached now (rather than that this observation is bad). */
    static boolean databaseAway(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
            String name = t.getClass().getName();
            if (name.endsWith("JDBCConnectionException") || name.endsWith("ConnectException")) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && (m.contains("Unable to acquire JDBC Connection") || m.contains("Connection refused")
                    || m.contains("This connection has been closed") || m.contains("acquisition timeout"))) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
