package dev.reprise.orchestrator.storage.artifacts;

import dev.reprise.orchestrator.persistence.ArtifactRepository;
import dev.reprise.orchestrator.domain.error.ObjectStoreUnavailableException;
import dev.reprise.orchestrator.storage.snapshots.SnapshotStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Archives each ended attempt's log stream to the object store as one gzip text object,
 * {@code logs/runs/<run>/<attempt>.log.gz} (lines in shipping order, stderr lines prefixed with
 * {@code [stderr] }), so the logs outlive the pod and the database rows. An attempt is archived
 * {@code reprise.artifacts.log-archive-delay} after it ended, which gives the ingest time for the agent's last
 * lines; archiving twice is harmless (same key, one row).
 */
@ApplicationScoped
public class LogArchiver {

    private static final Logger LOG = Logger.getLogger(LogArchiver.class);
    private static final int BATCH = 20;

    private final ArtifactRepository artifacts;
    private final SnapshotStore store;
    private final Duration delay;
    private final Duration interval;
    private ScheduledExecutorService timer;

    public LogArchiver(ArtifactRepository artifacts, SnapshotStore store,
            @ConfigProperty(name = "reprise.artifacts.log-archive-delay", defaultValue = "15s") Duration delay,
            @ConfigProperty(name = "reprise.artifacts.log-archive-interval", defaultValue = "10s") Duration interval) {
        this.artifacts = artifacts;
        this.store = store;
        this.delay = delay;
        this.interval = interval;
    }

    public static String key(long runId, int attempt) {
        return "logs/runs/" + runId + "/" + attempt + ".log.gz";
    }

    void start(@Observes StartupEvent event) {
        timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "reprise-log-archiver");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::archiveDueQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void archiveDueQuietly() {
        try {
            archiveDue();
        } catch (RuntimeException e) {
            LOG.warnf("archiving logs failed, will try again: %s", e.getMessage());
        }
    }

    /** Archives the logs of attempts that ended at least the delay ago; returns how many were archived. */
    public synchronized int archiveDue() {
        List<long[]> due = artifacts.attemptsToArchive((int) Math.max(0, delay.toSeconds()), BATCH);
        int done = 0;
        for (long[] a : due) {
            try {
                archive(a[0], (int) a[1]);
                done++;
            } catch (ObjectStoreUnavailableException e) {
                LOG.warnf("cannot archive the log of run %s attempt %s: %s", a[0], a[1], e.getMessage());
                return done;
            } catch (RuntimeException e) {
                LOG.warnf(e, "cannot archive the log of run %s attempt %s", a[0], a[1]);
            }
        }
        return done;
    }

    private void archive(long runId, int attempt) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("reprise-log-", ".gz");
            long lines;
            try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(
                    new GZIPOutputStream(Files.newOutputStream(tmp)), StandardCharsets.UTF_8))) {
                lines = artifacts.streamLog(runId, attempt, (stderr, text) -> {
                    if (stderr) {
                        out.write("[stderr] ");
                    }
                    out.write(text);
                    out.write('\n');
                });
            }
            String key = key(runId, attempt);
            store.writeFile(key, tmp, "application/gzip");
            artifacts.recordArchive(runId, attempt, key, lines, Files.size(tmp), Instant.now());
        } catch (IOException e) {
            throw new IllegalStateException("cannot archive the log of run " + runId + " attempt " + attempt, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.debugf("cannot remove %s: %s", tmp, e.getMessage());
                }
            }
        }
    }
}
