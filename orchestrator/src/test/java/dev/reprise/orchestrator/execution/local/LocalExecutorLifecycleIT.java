package dev.reprise.orchestrator.execution.local;

import dev.reprise.orchestrator.execution.ExecutorLifecycleContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The shared lifecycle contract with the local executor: each trial is a real process wrapped by the real agent
 * (which reports over Kafka). The training command records each start in a file and waits for the test to release
 * it with an exit code.
 */
class LocalExecutorLifecycleIT extends ExecutorLifecycleContract {

    @Override
    protected TrialWorld newWorld() {
        return new LocalTrials(Path.of("target", "lifecycle-it", "local-" + UUID.randomUUID()).toAbsolutePath());
    }

    private static final class LocalTrials implements TrialWorld {
        private final Path root;
        private final Path launches;
        private final Path releases;

        LocalTrials(Path root) {
            this.root = root;
            this.launches = root.resolve("launches.log");
            this.releases = root.resolve("releases");
            try {
                Files.createDirectories(releases);
                Files.createFile(launches);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Map<String, String> settings() {
            Path repo = Path.of("..").toAbsolutePath().normalize();
            return Map.of(
                    "reprise.executor", "local",
                    "reprise.local.work-dir", root.resolve("work").toString(),
                    "reprise.local.trial-dir", repo.toString(),
                    "reprise.local.agent-jar", repo.resolve("agent/target/reprise-agent.jar").toString(),
                    "reprise.local.kill-after", "5s",
                    "reprise.local.grace-period", "2s");
        }

        @Override
        public Map<String, String> environment() {
            return Map.of();
        }

        @Override
        public String command() {
            String release = releases + "/$REPRISE_RUN_ID-$REPRISE_ATTEMPT";
            return "[sh, -c, 'echo \"$REPRISE_RUN_ID/$REPRISE_ATTEMPT $$\" >> " + launches + "; "
                    + "while [ ! -f " + release + " ]; do sleep 0.1; done; exit $(cat " + release + ")']";
        }

        @Override
        public void release(long runId, int attempt, int exitCode) {
            try {
                Path tmp = Files.writeString(releases.resolve(runId + "-" + attempt + ".tmp"), exitCode + "\n");
                Files.move(tmp, releases.resolve(runId + "-" + attempt), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Map<String, Integer> executions() {
            Map<String, Integer> out = new TreeMap<>();
            pids().forEach((key, pids) -> out.put(key, pids.size()));
            return out;
        }

        @Override
        public boolean live(long runId, int attempt) {
            return pids().getOrDefault(runId + "/" + attempt, List.of()).stream()
                    .anyMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        }

        @Override
        public boolean ended(long runId, int attempt) {
            List<Long> pids = pids().getOrDefault(runId + "/" + attempt, List.of());
            return !pids.isEmpty() && !live(runId, attempt);
        }

        private Map<String, List<Long>> pids() {
            Map<String, List<Long>> out = new TreeMap<>();
            try {
                for (String line : Files.readAllLines(launches)) {
                    String[] parts = line.trim().split(" ");
                    if (parts.length == 2) {
                        out.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Long.parseLong(parts[1]));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out;
        }

        @Override
        public boolean keepsFinishedTrials() {
            return false;
        }

        @Override
        public void close() {
            // trials still waiting for their release end with the test (the orchestrator is gone by now)
            pids().forEach((key, pids) -> pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy)));
        }
    }
}
