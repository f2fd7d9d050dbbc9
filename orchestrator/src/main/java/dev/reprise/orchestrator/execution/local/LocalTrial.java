package dev.reprise.orchestrator.execution.local;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * The record a local trial (one rank of it, for a distributed trial) leaves in its directory
 * ({@code trial.properties}), so that a restarted orchestrator can find, adopt or account for it. The start instant
 * guards against a reused pid. Rank 0 lives in the attempt's directory, rank K &gt; 0 in its {@code rank-K}
 * subdirectory.
 */
record LocalTrial(long runId, int attempt, long sweepId, long pid, Instant processStart, Path dir, int rank,
        int nodes) {

    LocalTrial(long runId, int attempt, long sweepId, long pid, Instant processStart, Path dir) {
        this(runId, attempt, sweepId, pid, processStart, dir, 0, 1);
    }

    /** The directory of rank {@code rank} of the attempt whose (rank 0) directory is {@code attemptDir}. */
    static Path rankDir(Path attemptDir, int rank) {
        return rank == 0 ? attemptDir : attemptDir.resolve("rank-" + rank);
    }

    static final String FILE = "trial.properties";
    static final String EXIT_CODE = "exit-code";

    void write() throws IOException {
        Properties p = new Properties();
        p.setProperty("run", String.valueOf(runId));
        p.setProperty("attempt", String.valueOf(attempt));
        p.setProperty("sweep", String.valueOf(sweepId));
        p.setProperty("pid", String.valueOf(pid));
        p.setProperty("start", processStart == null ? "" : processStart.toString());
        p.setProperty("rank", String.valueOf(rank));
        p.setProperty("nodes", String.valueOf(nodes));
        Path tmp = dir.resolve(FILE + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp)) {
            p.store(w, "Reprise local trial");
        }
        Files.move(tmp, dir.resolve(FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static Optional<LocalTrial> read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
            String start = p.getProperty("start", "");
            return Optional.of(new LocalTrial(Long.parseLong(p.getProperty("run")),
                    Integer.parseInt(p.getProperty("attempt")), Long.parseLong(p.getProperty("sweep")),
                    Long.parseLong(p.getProperty("pid")), start.isEmpty() ? null : Instant.parse(start), dir,
                    Integer.parseInt(p.getProperty("rank", "0")), Integer.parseInt(p.getProperty("nodes", "1"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The exit code the wrapper wrote when the agent ended, if it did. */
    Optional<Integer> exitCode() {
        try {
            return Optional.of(Integer.parseInt(Files.readString(dir.resolve(EXIT_CODE)).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The live process of this trial, if it still runs (and is the same process, not a reused pid). */
    Optional<ProcessHandle> process() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> processStart == null
                || h.info().startInstant().map(processStart::equals).orElse(true));
    }

    String key() {
        return runId + "/" + attempt;
    }
}
