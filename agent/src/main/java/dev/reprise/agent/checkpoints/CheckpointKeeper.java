package dev.reprise.agent.checkpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reprise.agent.artifacts.ArtifactUploader;
import dev.reprise.transfer.DownloadListing;
import dev.reprise.api.snapshots.InvalidManifestException;
import dev.reprise.transfer.SnapshotMaterializer;
import dev.reprise.api.snapshots.SnapshotVerificationException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checkpoints that outlive attempts (docs/checkpoints.md). The training command saves each checkpoint into
 * {@code REPRISE_CHECKPOINT_DIR/step-N/} and writes the marker file {@value #COMPLETE} into it last; only then does
 * the checkpoint count. The keeper
 * <ul>
 *   <li>before the command starts, restores the run's newest complete checkpoint (written by an earlier attempt) into
 *       {@code step-N/}, every byte verified against its manifest; a checkpoint that does not verify is removed and
 *       the command starts from scratch;</li>
 *   <li>while it runs, and once more after it ended (after a forwarded SIGTERM too), uploads the newest complete
 *       checkpoint it has not stored yet with the artifact blob protocol ({@link ArtifactUploader}: content-addressed,
 *       only blobs the store lacks travel) to {@code REPRISE_CHECKPOINTS_URL/N}.</li>
 * </ul>
 * A checkpoint the orchestrator refuses (over the run's size cap) is reported once as a warning on the run and not
 * tried again. Nothing here changes the run's outcome.
 */
public final class CheckpointKeeper {

    /** The marker a trainer writes last into {@code step-N/}. */
    public static final String COMPLETE = "COMPLETE";
    static final Pattern STEP_DIR = Pattern.compile("step-(0|[1-9][0-9]{0,17})");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final URI base;
    private final Optional<String> runToken;
    private final Consumer<String> warn;
    private final Consumer<String> refused;
    private final HttpClient http;
    private final ArtifactUploader uploader;
    private final Duration timeout = Duration.ofSeconds(30);
    /** The highest step stored (or restored, or refused): only newer checkpoints are uploaded. */
    private final AtomicLong newest = new AtomicLong(-1);
    private final Set<Long> refusedSteps = new HashSet<>();

    /**
     * @param dir      REPRISE_CHECKPOINT_DIR
     * @param base     REPRISE_CHECKPOINTS_URL ({@code .../runs/<id>/attempts/<n>/checkpoints})
     * @param refused  told (once per checkpoint) why the orchestrator refused one, for a warning on the run
     */
    public CheckpointKeeper(Path dir, URI base, Optional<String> runToken, Consumer<String> warn,
            Consumer<String> refused) {
        this.dir = dir.toAbsolutePath().normalize();
        this.base = URI.create(stripSlash(base.toString()));
        this.runToken = runToken;
        this.warn = warn;
        this.refused = refused;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        // any file the upload would leave out (unreadable, vanished, a link) aborts it before the commit: a checkpoint
        // is stored whole or not at all
        this.uploader = new ArtifactUploader(http, runToken, problem -> {
            throw new Incomplete(problem);
        }, timeout);
    }

    /**
     * Restores the run's newest complete checkpoint into {@code step-N/} and tells the orchestrator; returns N, or
     * empty when there is none or it could not be restored (then the directory holds no partial checkpoint).
     */
    public OptionalLong restore() throws InterruptedException {
        long[] step = {-1};
        SnapshotMaterializer.ListingSource source = () -> {
            byte[] body = get(URI.create(base + "/latest"));
            if (body == null) {
                return null;
            }
            JsonNode root = JSON.readTree(body);
            step[0] = root.path("step").asLong(-1);
            try {
                return DownloadListing.parse(body);
            } catch (InvalidManifestException e) {
                throw new SnapshotVerificationException("the checkpoint listing is invalid: " + e.getMessage());
            }
        };
        Path target = null;
        try {
            DownloadListing first = source.fetch();
            if (first == null) {
                return OptionalLong.empty();
            }
            if (step[0] < 0) {
                warn.accept("checkpoint: the orchestrator's listing names no step; starting from scratch");
                return OptionalLong.empty();
            }
            long n = step[0];
            target = dir.resolve("step-" + n);
            SnapshotMaterializer materializer = new SnapshotMaterializer(4, Optional.empty(), Duration.ofSeconds(10),
                    Duration.ofSeconds(60), m -> warn.accept("checkpoint: " + m));
            DownloadListing[] once = {first};
            SnapshotMaterializer.Result r = materializer.materialize(first.id(), () -> {
                DownloadListing l = once[0] != null ? once[0] : source.fetch();
                once[0] = null;
                return l;
            }, target);
            post(URI.create(base + "/" + n + "/restored"));
            newest.set(n);
            warn.accept("checkpoint: step " + n + " restored into " + target + " (" + r.files() + " files, "
                    + r.bytes() + " bytes, verified)");
            return OptionalLong.of(n);
        } catch (SnapshotVerificationException e) {
            warn.accept("checkpoint: the run's newest checkpoint does not verify, so it was not restored and the "
                    + "command starts from scratch: " + e.getMessage());
        } catch (IOException e) {
            warn.accept("checkpoint: cannot restore the run's newest checkpoint, so the command starts from scratch: "
                    + e.getMessage());
        }
        if (target != null) {
            deleteQuietly(target);
        }
        return OptionalLong.empty();
    }

    /** Uploads the newest complete checkpoint not stored yet, if any; returns its step. */
    public synchronized OptionalLong uploadNewest() throws InterruptedException {
        OptionalLong candidate = newestComplete();
        if (candidate.isEmpty() || candidate.getAsLong() <= newest.get()
                || refusedSteps.contains(candidate.getAsLong())) {
            return OptionalLong.empty();
        }
        long n = candidate.getAsLong();
        Path stepDir = dir.resolve("step-" + n);
        try {
            ArtifactUploader.Result r = uploader.upload(URI.create(base + "/" + n), stepDir);
            newest.set(n);
            warn.accept("checkpoint: step " + n + " stored (" + r.files() + " files, " + r.uploaded()
                    + " new blob(s), " + r.uploadedBytes() + " bytes uploaded)");
            return OptionalLong.of(n);
        } catch (Incomplete e) {
            warn.accept("checkpoint: step " + n + " not stored (it changed while it was read; tried again if it is "
                    + "still the newest): " + e.getMessage());
            return OptionalLong.empty();
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
            warn.accept("checkpoint: step " + n + " was removed while it was uploaded; not stored");
            return OptionalLong.empty();
        } catch (IOException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            if (message.contains(" answered 422")) {
                refusedSteps.add(n);
                refused.accept("checkpoint step-" + n + " was refused: " + message);
            } else {
                warn.accept("checkpoint: cannot store step " + n + " (tried again later): " + message);
            }
            return OptionalLong.empty();
        }
    }

    /** A file of the checkpoint could not be taken: the upload stops before its commit. */
    private static final class Incomplete extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Incomplete(String message) {
            super(message, null, false, false);
        }
    }

    /** The highest N with a complete {@code step-N/} (its {@value #COMPLETE} marker a regular file). */
    OptionalLong newestComplete() {
        if (!Files.isDirectory(dir)) {
            return OptionalLong.empty();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> {
                Matcher m = STEP_DIR.matcher(p.getFileName().toString());
                return m.matches() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                        && Files.isRegularFile(p.resolve(COMPLETE), LinkOption.NOFOLLOW_LINKS)
                        ? Long.parseLong(m.group(1)) : -1L;
            }).filter(n -> n >= 0).max(Comparator.naturalOrder()).map(OptionalLong::of).orElse(OptionalLong.empty());
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** GET; null on 404 (no checkpoint). */
    private byte[] get(URI uri) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
                .GET();
        runToken.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        HttpResponse<byte[]> r = send(b.build());
        if (r.statusCode() == 404) {
            return null;
        }
        if (r.statusCode() != 200) {
            throw new IOException("GET " + uri.getPath() + " answered " + r.statusCode() + ": "
                    + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return r.body();
    }

    private void post(URI uri) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.noBody());
        runToken.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        HttpResponse<byte[]> r = send(b.build());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("POST " + uri.getPath() + " answered " + r.statusCode() + ": "
                    + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void deleteQuietly(Path target) {
        try (Stream<Path> walk = Files.walk(target)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: what is left is not a complete checkpoint (no marker was restored last)
                }
            });
        } catch (IOException e) {
            // nothing there
        }
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
