package dev.reprise.orchestrator.scheduling;

import dev.reprise.orchestrator.execution.Executor;
import dev.reprise.orchestrator.execution.LaunchException;
import dev.reprise.orchestrator.execution.TrialLaunch;
import dev.reprise.orchestrator.execution.TrialObservation;
import dev.reprise.orchestrator.execution.TrialObserver;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A hand-written executor for tests ({@code reprise.executor=testing}): it remembers what it was asked to launch and
 * stop, can be told to fail launches, and lets a test report observations as a backend would.
 */
@ApplicationScoped
@LookupIfProperty(name = "reprise.executor", stringValue = "testing")
public class TestingExecutor implements Executor {

    private volatile TrialObserver observer;
    private final List<TrialLaunch> launched = new CopyOnWriteArrayList<>();
    private final Map<String, TrialLaunch> present = new ConcurrentHashMap<>();
    private final List<String> stopped = new CopyOnWriteArrayList<>();
    private final List<Long> stoppedSweeps = new CopyOnWriteArrayList<>();
    private final Map<String, LaunchException> failNext = new ConcurrentHashMap<>();
    private final Map<String, LaunchException> failAlways = new ConcurrentHashMap<>();

    @Override
    public void start(TrialObserver observer) {
        this.observer = observer;
    }

    @Override
    public void launch(TrialLaunch launch) throws LaunchException {
        LaunchException failure = failNext.remove(launch.sweepName());
        if (failure == null) {
            failure = failAlways.get(launch.sweepName());
        }
        if (failure != null) {
            throw failure;
        }
        String key = launch.runId() + "/" + launch.attempt();
        if (present.putIfAbsent(key, launch) == null) {
            launched.add(launch);
        }
    }

    @Override
    public void stop(long runId, int attempt) {
        present.remove(runId + "/" + attempt);
        stopped.add(runId + "/" + attempt);
    }

    @Override
    public void stopSweep(long sweepId) {
        present.values().removeIf(l -> l.sweepId() == sweepId);
        stoppedSweeps.add(sweepId);
    }

    @Override
    public List<TrialRef> list() {
        return present.values().stream().map(l -> new TrialRef(l.runId(), l.attempt(), l.sweepId())).toList();
    }

    // ---- test controls -------------------------------------------------------------------------------------

    public List<TrialLaunch> launchesOf(long sweepId) {
        List<TrialLaunch> out = new ArrayList<>();
        for (TrialLaunch l : launched) {
            if (l.sweepId() == sweepId) {
                out.add(l);
            }
        }
        return out;
    }

    public List<TrialLaunch> presentOf(long sweepId) {
        return present.values().stream().filter(l -> l.sweepId() == sweepId).toList();
    }

    public boolean sweepStopped(long sweepId) {
        return stoppedSweeps.contains(sweepId);
    }

    public boolean trialStopped(long runId, int attempt) {
        return stopped.contains(runId + "/" + attempt);
    }

    /** The next launch of the sweep of that name fails with the given error (set it before submitting). */
    public void failNextLaunch(String sweepName, LaunchException error) {
        failNext.put(sweepName, error);
    }

    /** Every launch of the sweep of that name fails with the given error (set it before submitting). */
    public void failEveryLaunch(String sweepName, LaunchException error) {
        failAlways.put(sweepName, error);
    }

    /** Reports an observation the way a backend would, and forgets the trial when the observation ends it. */
    public void report(TrialObservation o) {
        if (!(o instanceof TrialObservation.Running) && !(o instanceof TrialObservation.Launched)) {
            present.remove(o.runId() + "/" + o.attempt());
        }
        observer.observe(o);
    }

    /** Adds a trial the backend has although nobody launched it through this instance (an orphan). */
    public void plant(TrialLaunch launch) {
        present.put(launch.runId() + "/" + launch.attempt(), launch);
    }

    /** Forgets a trial without telling anyone, as if it vanished from the backend. */
    public void forget(long runId, int attempt) {
        present.remove(runId + "/" + attempt);
    }
}
