package dev.reprise.orchestrator.storage.snapshots;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.cli.RepriseCli;
import dev.reprise.orchestrator.storage.ObjectStore;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Push throughput against the raw upload rate of the same S3 server, measured in the same run. Not part of the test
 * suite (its name does not match surefire's includes); run it on purpose:
 *
 * <pre>./mvnw -B -o -pl orchestrator test -Dtest=PushThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * <p>Data: {@code bench.files} files of {@code bench.fileKiB} KiB plus {@code bench.large} files of
 * {@code bench.largeMiB} MiB (default 200 x 256 KiB + 4 x 16 MiB), random bytes, fresh for every round so nothing is
 * deduplicated by earlier rounds. Each figure is the median of {@code bench.rounds} rounds (default 3). Measured:
 * <ul>
 *   <li>raw upload with the MinIO client's putObject, one thread and {@code bench.threads} threads (the MinIO client
 *       hashes each body to sign it over plain HTTP);</li>
 *   <li>raw upload of presigned PUT URLs with java.net.http, {@code bench.threads} threads: pure transfer, the
 *       tightest baseline;</li>
 *   <li>{@code reprise data push --parallel N} end to end: scan, SHA-256 of every file, upload plan, uploads with
 *       the store verifying each checksum, manifest, commit;</li>
 *   <li>the same push again (no new blobs), and {@code reprise data pull} of the snapshot into an empty directory.</li>
 * </ul>
 */
@QuarkusTest
class PushThroughputBenchmark {

    private static final int FILES = Integer.getInteger("bench.files", 200);
    private static final int FILE_KIB = Integer.getInteger("bench.fileKiB", 256);
    private static final int LARGE = Integer.getInteger("bench.large", 4);
    private static final int LARGE_MIB = Integer.getInteger("bench.largeMiB", 16);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int THREADS = Integer.getInteger("bench.threads", 8);

    @TestHTTPResource("/")
    URL server;

    @Inject
    ObjectStore store;

    @Inject
    SnapshotStore snapshots;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void measuresPushThroughputAgainstTheRawUploadRate() throws Exception {
        Path base = Files.createTempDirectory("reprise-bench");
        try {
            round(base.resolve("warmup"), true);
            List<double[]> rounds = new ArrayList<>();
            for (int i = 0; i < ROUNDS; i++) {
                rounds.add(round(base.resolve("round-" + i), false));
            }
            report(rounds, totalBytes());
        } finally {
            deleteTree(base);
        }
    }

    /** One round on fresh data: seconds for minio-seq, minio-par, presigned-par, push, push-again, pull. */
    private double[] round(Path dir, boolean warmup) throws Exception {
        List<Path> files = generate(dir.resolve("data"));
        String prefix = "bench/raw/" + UUID.randomUUID() + "/";
        double minioSeq = time(() -> minioUpload(files, prefix + "seq/", 1));
        double minioPar = time(() -> minioUpload(files, prefix + "par/", THREADS));
        double presignedPar = time(() -> presignedUpload(files, prefix + "presigned/", THREADS, null));
        List<String> hashes = new ArrayList<>();
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                hashes.add(dev.reprise.api.snapshots.Sha256.of(in).sha256());
            }
        }
        double checkedPar = time(() -> presignedUpload(files, prefix + "checked/", THREADS, hashes));
        String name = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        String[] out = new String[2];
        double push = time(() -> out[0] = cli("data", "push", dir.resolve("data").toString(), "--name", name,
                "--parallel", Integer.toString(THREADS), "--verbose"));
        double again = time(() -> out[1] = cli("data", "push", dir.resolve("data").toString(), "--name", name,
                "--parallel", Integer.toString(THREADS)));
        double pull = time(() -> cli("data", "pull", name, dir.resolve("pulled").toString(), "--parallel",
                Integer.toString(THREADS)));
        assertThat(out[0]).contains("uploaded " + files.size() + " new blobs");
        assertThat(out[1]).contains("uploaded 0 new blobs");
        removeRaw(files, prefix);
        deleteTree(dir);
        if (warmup) {
            return null;
        }
        return new double[] {minioSeq, minioPar, presignedPar, checkedPar, push, again, pull};
    }

    private List<Path> generate(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("small"));
        Files.createDirectories(dir.resolve("large"));
        SplittableRandom random = new SplittableRandom();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            files.add(write(dir.resolve("small/" + i + ".bin"), FILE_KIB * 1024, random));
        }
        for (int i = 0; i < LARGE; i++) {
            files.add(write(dir.resolve("large/" + i + ".bin"), LARGE_MIB * 1024 * 1024, random));
        }
        return files;
    }

    private static Path write(Path file, int size, SplittableRandom random) throws IOException {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i += 8) {
            long v = random.nextLong();
            for (int b = 0; b < 8 && i + b < size; b++) {
                bytes[i + b] = (byte) (v >>> (8 * b));
            }
        }
        return Files.write(file, bytes);
    }

    private static long totalBytes() {
        return (long) FILES * FILE_KIB * 1024 + (long) LARGE * LARGE_MIB * 1024 * 1024;
    }

    private void minioUpload(List<Path> files, String prefix, int threads) throws Exception {
        parallel(files, threads, (i, f) -> {
            long size = Files.size(f);
            try (InputStream in = Files.newInputStream(f)) {
                store.client().putObject(PutObjectArgs.builder().bucket(store.bucket()).object(prefix + i)
                        .stream(in, size, 64L * 1024 * 1024).build());
            }
        });
    }

    /** PUTs to presigned URLs; with hashes, each URL signs the x-amz-checksum-sha256 header the store verifies. */
    private void presignedUpload(List<Path> files, String prefix, int threads, List<String> hashes)
            throws Exception {
        parallel(files, threads, (i, f) -> {
            String url = hashes == null
                    ? store.client().getPresignedObjectUrl(io.minio.GetPresignedObjectUrlArgs.builder()
                            .method(io.minio.http.Method.PUT).bucket(store.bucket()).object(prefix + i)
                            .expiry(3600).build())
                    : snapshots.presignPut(prefix + i, hashes.get(i), java.time.Duration.ofHours(1));
            HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(url))
                    .PUT(HttpRequest.BodyPublishers.ofFile(f));
            if (hashes != null) {
                SnapshotStore.uploadHeaders(hashes.get(i)).forEach(put::header);
            }
            HttpResponse<Void> r = http.send(put.build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("PUT answered " + r.statusCode());
            }
        });
    }

    private void removeRaw(List<Path> files, String prefix) throws Exception {
        for (String kind : List.of("seq/", "par/", "presigned/", "checked/")) {
            parallel(files, THREADS, (i, f) -> store.client().removeObject(RemoveObjectArgs.builder()
                    .bucket(store.bucket()).object(prefix + kind + i).build()));
        }
    }

    private interface FileTask {
        void run(int index, Path file) throws Exception;
    }

    private static void parallel(List<Path> files, int threads, FileTask task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    task.run(index, files.get(index));
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path home = Path.of(System.getProperty("java.io.tmpdir"));
        int exit = RepriseCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true),
                Map.of("REPRISE_TOKEN", dev.reprise.orchestrator.security.TestCredentials.ADMIN_TOKEN,
                        "REPRISE_SERVER", server.toString(), "XDG_CONFIG_HOME", home.toString()));
        if (exit != 0) {
            throw new IllegalStateException("reprise " + String.join(" ", args) + " exited " + exit + ": " + err);
        }
        if (!err.toString().isEmpty()) {
            System.out.print(err);
        }
        return out.toString();
    }

    private interface Timed {
        void run() throws Exception;
    }

    private static double time(Timed work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static void report(List<double[]> rounds, long bytes) {
        String[] names = {"raw: MinIO putObject, 1 thread", "raw: MinIO putObject, " + THREADS + " threads",
            "raw: presigned PUT (java.net.http), " + THREADS + " threads",
            "raw: presigned PUT + store-verified x-amz-checksum-sha256, " + THREADS + " threads",
            "reprise data push, " + THREADS + " threads (hash + plan + upload + commit)",
            "reprise data push again (no new blobs)", "reprise data pull (download + verify + write)"};
        double[] median = new double[names.length];
        for (int k = 0; k < names.length; k++) {
            int col = k;
            List<Double> values = rounds.stream().map(r -> r[col]).sorted(Comparator.naturalOrder()).toList();
            median[k] = values.get(values.size() / 2);
        }
        double mb = bytes / 1e6;
        double bestRaw = Math.min(median[1], median[2]);
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%nData: %d files x %d KiB + %d files x %d MiB = %.1f MB, %d rounds "
                        + "(median), %d cores%n%n", FILES, FILE_KIB, LARGE, LARGE_MIB, mb, rounds.size(),
                Runtime.getRuntime().availableProcessors()));
        table.append("| measurement | seconds | MB/s | ratio to fastest raw parallel upload |\n|---|---|---|---|\n");
        for (int k = 0; k < names.length; k++) {
            table.append(String.format(Locale.ROOT, "| %s | %.2f | %.1f | %.2f |%n", names[k], median[k],
                    mb / median[k], bestRaw / median[k]));
        }
        System.out.println(table);
        try {
            Path out = Path.of("target", "benchmarks", "push-throughput.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, table.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
