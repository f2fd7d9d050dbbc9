package dev.reprise.orchestrator.execution.kubernetes;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the API server accepts and does, discovered once at start ({@link CapabilityDiscovery}). An old server
 * silently drops fields it does not know (a 1.20 server keeps a Job without its podFailurePolicy and says nothing),
 * so the factory leaves out what is not supported and the watcher does that part of the job itself.
 *
 * @param podFailurePolicy          Job {@code spec.podFailurePolicy} (beta and on by default in 1.26, GA in 1.31);
 *                                  without it the watcher classifies preemption from pod status and deletes the Job
 * @param ttlSecondsAfterFinished   Job {@code spec.ttlSecondsAfterFinished} (beta 1.21, GA 1.23; an alpha feature
 *                                  gate before); without it the watcher deletes finished Jobs after the TTL itself
 * @param disruptionTargetCondition pods get a {@code DisruptionTarget} condition when preempted, evicted or their
 *                                  node is lost (1.26+); before, the watcher reads reasons and deletion instead
 * @param jobReadyStatus            Job {@code status.ready} (1.24+); informational only
 * @param jobSuspend                Job {@code spec.suspend} (1.22+), which Kueue relies on
 * @param indexedJobs               Job {@code spec.completionMode: Indexed} (alpha 1.21, beta and on by default 1.22):
 *                                  each pod of a distributed trial gets its completion index, used as its rank;
 *                                  without it (a 1.20 server drops the field silently) the orchestrator's rendezvous
 *                                  assigns ranks
 */
public record Capabilities(
        int major,
        int minor,
        boolean podFailurePolicy,
        boolean ttlSecondsAfterFinished,
        boolean disruptionTargetCondition,
        boolean jobReadyStatus,
        boolean jobSuspend,
        boolean indexedJobs) {

    private static final Pattern NUMBER = Pattern.compile("(\\d+)");

    /** A current server (everything on). */
    public static final Capabilities MODERN = forVersion(1, 31);

    /** What a server of this version supports with its default feature gates. */
    public static Capabilities forVersion(int major, int minor) {
        boolean atLeast = major > 1;
        return new Capabilities(major, minor,
                atLeast || minor >= 26,
                atLeast || minor >= 21,
                atLeast || minor >= 26,
                atLeast || minor >= 24,
                atLeast || minor >= 22,
                atLeast || minor >= 22);
    }

    /**
     * From {@code /version}'s major and minor strings; managed clusters report minors such as "27+".
     * Unparseable versions are assumed current (a guess corrected by the dry-run probe).
     */
    public static Capabilities forVersion(String major, String minor) {
        Integer ma = leadingNumber(major);
        Integer mi = leadingNumber(minor);
        if (ma == null || mi == null) {
            return MODERN;
        }
        return forVersion(ma, mi);
    }

    /** These capabilities, corrected by what a dry-run create of a Job kept. */
    public Capabilities withProbe(boolean keptPodFailurePolicy, boolean keptTtl) {
        return new Capabilities(major, minor, keptPodFailurePolicy, keptTtl, disruptionTargetCondition,
                jobReadyStatus, jobSuspend, indexedJobs);
    }

    public String version() {
        return major + "." + minor;
    }

    private static Integer leadingNumber(String s) {
        if (s == null) {
            return null;
        }
        Matcher m = NUMBER.matcher(s);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }
}
