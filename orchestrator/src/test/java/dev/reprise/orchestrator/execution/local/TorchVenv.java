package dev.reprise.orchestrator.execution.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Python virtual environment with PyTorch, made by the test itself so that a clean machine can run the distributed
 * example: {@code python3 -m venv --system-site-packages} and {@code pip install --no-deps --no-index torch} (pip's
 * configuration on these machines finds a CPU wheel on disk). Cached in {@code ~/.cache/reprise/torch-venv}
 * ({@code REPRISE_TORCH_VENV} overrides); built in a temporary directory and moved into place, so a build cut short
 * leaves nothing half-made.
 */
final class TorchVenv {

    private TorchVenv() {
    }

    /** The venv's python, creating the venv first when there is none that imports torch. */
    static synchronized Path python() throws IOException, InterruptedException {
        String configured = System.getenv("REPRISE_TORCH_VENV");
        Path venv = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "reprise", "torch-venv");
        Path python = venv.resolve("bin").resolve("python");
        if (importsTorch(python)) {
            return python;
        }
        Files.createDirectories(venv.getParent());
        Path building = Files.createTempDirectory(venv.getParent(), "torch-venv-building-");
        run(List.of("python3", "-m", "venv", "--system-site-packages", building.toString()), Duration.ofMinutes(3));
        run(List.of(building.resolve("bin").resolve("pip").toString(), "install", "--quiet", "--no-deps",
                "--no-index", "torch"), Duration.ofMinutes(10));
        // a venv's scripts name its own path: move it before anything records that path, then check from there
        if (Files.exists(venv)) {
            deleteTree(venv);
        }
        Files.move(building, venv, StandardCopyOption.ATOMIC_MOVE);
        run(List.of("python3", "-m", "venv", "--system-site-packages", venv.toString()), Duration.ofMinutes(3));
        if (!importsTorch(python)) {
            throw new IllegalStateException("the venv " + venv + " was made but cannot import torch");
        }
        return python;
    }

    private static boolean importsTorch(Path python) throws IOException, InterruptedException {
        if (!Files.isExecutable(python)) {
            return false;
        }
        Process p = new ProcessBuilder(python.toString(), "-c", "import torch.distributed")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0;
    }

    private static void run(List<String> command, Duration limit) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: " + new String(out));
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
