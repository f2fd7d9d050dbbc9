package dev.reprise.agent.data;

import dev.reprise.agent.AgentLog;
import dev.reprise.transfer.SnapshotMaterializer;
import dev.reprise.api.snapshots.SnapshotRef;
import dev.reprise.api.snapshots.SnapshotVerificationException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The agent's first step when a run has a data snapshot: fetch the manifest from the orchestrator, download and verify
 * every file into the data directory, and only then let the training command start. A snapshot that does not verify
 * (a blob missing or corrupt in the store, a manifest that is not the run's snapshot) fails the run with exit code
 * {@value #EXIT_DATA_INVALID}; an orchestrator or store that cannot be reached, or a data directory that cannot be
 * written, with {@value #EXIT_DATA_UNAVAILABLE}. Either way the command never starts.
 */
public final class DataStage {

    /** EX_DATAERR: the snapshot's data does not verify. Retrying the same snapshot does not help. */
    public static final int EXIT_DATA_INVALID = 65;
    /** EX_UNAVAILABLE: the data could not be fetched or written (network, store, disk). May succeed on retry. */
    public static final int EXIT_DATA_UNAVAILABLE = 69;

    private static final int PARALLELISM = 8;

    private final DataOptions options;
    private final AgentLog log;
    private final Optional<String> runToken;

    public DataStage(DataOptions options, AgentLog log) {
        this(options, Optional.empty(), log);
    }

    /** With the run token sent as the bearer token of the manifest request. */
    public DataStage(DataOptions options, Optional<String> runToken, AgentLog log) {
        this.runToken = runToken;
        this.options = options;
        this.log = log;
    }

    /** What the stage came to: the data is in place, or the run must fail before its command starts. */
    public sealed interface Outcome permits Ready, Failed {
    }

    /** Every file is in place and verified. */
    public record Ready(String snapshotId, SnapshotMaterializer.Result result) implements Outcome {
    }

    /** The run must end now with this exit code; {@code message} says why, for the user. */
    public record Failed(int exitCode, String message) implements Outcome {
    }

    public Outcome run() throws InterruptedException {
        URI url = options.manifestUrl().orElseThrow();
        String expected = options.snapshotId().orElseGet(() -> idInPath(url).orElse(null));
        SnapshotMaterializer materializer = new SnapshotMaterializer(PARALLELISM, options.cache(),
                Duration.ofSeconds(10), Duration.ofSeconds(60), message -> log.warn("data: " + message));
        long started = System.nanoTime();
        try {
            SnapshotMaterializer.Result r = materializer.materialize(expected,
                    SnapshotMaterializer.httpListing(url, runToken, Duration.ofSeconds(30)), options.dir());
            log.warn("data: " + r.id() + " ready in " + options.dir() + " (" + r.files() + " files, " + r.bytes()
                    + " bytes; downloaded " + r.downloaded() + ", from cache " + r.fromCache() + ", already there "
                    + r.reused() + ") in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            return new Ready(r.id(), r);
        } catch (SnapshotVerificationException e) {
            return new Failed(EXIT_DATA_INVALID, "data snapshot " + (expected == null ? url : expected)
                    + " does not verify, so the command was not started: " + e.getMessage());
        } catch (IOException e) {
            return new Failed(EXIT_DATA_UNAVAILABLE, "cannot materialise data snapshot "
                    + (expected == null ? url : expected) + " into " + options.dir()
                    + ", so the command was not started: " + e.getMessage());
        }
    }

    /** The id in {@code .../snapshots/sha256:<hex>/download}, if the URL names one. */
    static Optional<String> idInPath(URI url) {
        String path = url.getPath();
        if (path == null) {
            return Optional.empty();
        }
        for (String segment : path.split("/")) {
            if (SnapshotRef.isId(segment)) {
                return Optional.of(segment);
            }
        }
        return Optional.empty();
    }
}
