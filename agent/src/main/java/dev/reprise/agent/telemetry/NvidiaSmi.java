package dev.reprise.agent.telemetry;

import dev.reprise.api.messages.GpuSample;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs {@code nvidia-smi} when it is on the PATH; without it, or when it fails, there are simply no GPU samples. */
public final class NvidiaSmi {

    private static final long TIMEOUT_SECONDS = 10;

    private final Path executable;

    private NvidiaSmi(Path executable) {
        this.executable = executable;
    }

    /** The nvidia-smi on {@code path} (a PATH-style list), if any. */
    public static Optional<NvidiaSmi> find(String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "nvidia-smi");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(new NvidiaSmi(candidate));
            }
        }
        return Optional.empty();
    }

    public static List<String> command(Path executable) {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable.toString());
        cmd.add("--query-gpu=" + String.join(",", NvidiaSmiCsv.QUERY_FIELDS));
        cmd.add("--format=csv,noheader,nounits");
        return cmd;
    }

    /** The raw CSV output, or empty when nvidia-smi failed or took longer than 10 s. */
    public Optional<String> queryRaw() {
        Path out = null;
        try {
            // Output goes to a file so that a hung nvidia-smi cannot block us past the timeout.
            out = Files.createTempFile("reprise-nvidia-smi", ".csv");
            Process p = new ProcessBuilder(command(executable))
                    .redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(Files.readString(out, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            deleteQuietly(out);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a stray temp file is harmless
        }
    }

    public List<GpuSample> sample() {
        return queryRaw().map(csv -> NvidiaSmiCsv.parse(csv, NvidiaSmiCsv.QUERY_FIELDS)).orElse(List.of());
    }
}
