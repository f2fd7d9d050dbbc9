package dev.reprise.agent.telemetry;

import dev.reprise.api.messages.GpuSample;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code nvidia-smi} when it is on the PATH. Without it there are no GPU samples; when it fails (a non-zero
 * exit, no answer within the timeout, "No devices were found") the {@link Query} says why, so that the caller can say
 * so once instead of reporting silently empty GPU telemetry.
 */
public final class NvidiaSmi {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final String NO_DEVICES = "No devices were found";

    private final Path executable;
    private final Duration timeout;

    NvidiaSmi(Path executable, Duration timeout) {
        this.executable = executable;
        this.timeout = timeout;
    }

    /** One run of nvidia-smi: its CSV output, or why there is none. */
    public record Query(Optional<String> csv, Optional<String> failure) {

        static Query ok(String csv) {
            return new Query(Optional.of(csv), Optional.empty());
        }

        static Query failed(String why) {
            return new Query(Optional.empty(), Optional.of(why));
        }
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
                return Optional.of(new NvidiaSmi(candidate, DEFAULT_TIMEOUT));
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

    /** The raw CSV output, or empty when nvidia-smi failed or took longer than its timeout (10 s). */
    public Optional<String> queryRaw() {
        return query().csv();
    }

    /** Runs nvidia-smi once. */
    public Query query() {
        Path out = null;
        Path err = null;
        try {
            // Output goes to files so that a hung nvidia-smi cannot block us past the timeout.
            out = Files.createTempFile("reprise-nvidia-smi", ".csv");
            err = Files.createTempFile("reprise-nvidia-smi", ".err");
            Process p = new ProcessBuilder(command(executable))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return Query.failed(executable + " did not answer within " + timeout.toMillis() + " ms");
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            String errors = Files.readString(err, StandardCharsets.UTF_8);
            if (text.contains(NO_DEVICES) || errors.contains(NO_DEVICES)) {
                return Query.failed(executable + " found no GPU (\"" + NO_DEVICES + "\", exit " + p.exitValue()
                        + ")");
            }
            if (p.exitValue() != 0) {
                String first = (errors.isBlank() ? text : errors).lines().map(String::strip)
                        .filter(l -> !l.isEmpty()).findFirst().orElse("");
                return Query.failed(executable + " exited with " + p.exitValue()
                        + (first.isEmpty() ? "" : ": " + first));
            }
            return Query.ok(text);
        } catch (IOException e) {
            return Query.failed("cannot run " + executable + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Query.failed("interrupted while running " + executable);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
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
        return samples(query());
    }

    /** The GPUs of a query's output; none when it failed. */
    public static List<GpuSample> samples(Query query) {
        return query.csv().map(csv -> NvidiaSmiCsv.parse(csv, NvidiaSmiCsv.QUERY_FIELDS)).orElse(List.of());
    }
}
