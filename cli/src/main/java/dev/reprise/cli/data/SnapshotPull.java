package dev.reprise.cli.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.transfer.DownloadListing;
import dev.reprise.api.snapshots.InvalidManifestException;
import dev.reprise.transfer.SnapshotMaterializer;
import dev.reprise.api.snapshots.SnapshotRef;
import dev.reprise.api.snapshots.SnapshotVerificationException;
import dev.reprise.cli.client.ApiClient;
import dev.reprise.cli.client.Json;
import dev.reprise.cli.client.Query;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code reprise data pull}: the snapshot's files written into a directory, every byte verified against the manifest,
 * and the manifest against the snapshot id. Refuses a non-empty directory unless forced; files already there with the
 * right content are kept, others are replaced, files the snapshot does not list are left alone.
 */
public final class SnapshotPull {

    private final ApiClient api;
    private final int threads;

    public SnapshotPull(ApiClient api, int threads) {
        this.api = api;
        this.threads = threads;
    }

    public SnapshotMaterializer.Result pull(SnapshotRef ref, Path dir, boolean force, List<String> warnings) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new DataInputException(dir + " exists and is not a directory");
        }
        if (!force && Files.exists(dir) && !isEmptyDirectory(dir)) {
            throw new DataInputException(dir + " is not empty; pull into an empty or new directory, or use --force "
                    + "to write the snapshot's files into it");
        }
        SnapshotMaterializer materializer = new SnapshotMaterializer(threads, Optional.empty(),
                Duration.ofSeconds(10), Duration.ofSeconds(60), warnings::add);
        try {
            // After the first answer, ask by id: a tag moved meanwhile must not switch snapshots halfway.
            String[] resolved = {ref.isId() ? ref.id() : null};
            return materializer.materialize(resolved[0], () -> {
                DownloadListing listing = listing(resolved[0] != null ? resolved[0] : ref.toString());
                resolved[0] = listing.id();
                return listing;
            }, dir);
        } catch (SnapshotVerificationException e) {
            throw new DataVerificationException(e.getMessage(), e);
        } catch (IOException e) {
            throw new DataTransferException("cannot pull " + ref + " into " + dir + ": " + e.getMessage(),
                    e instanceof java.net.ConnectException, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataTransferException("interrupted while pulling " + ref, false, e);
        }
    }

    private DownloadListing listing(String ref) throws SnapshotVerificationException {
        JsonNode body = api.get("/api/v1/snapshots/" + ref + "/download", Query.empty());
        try {
            return DownloadListing.parse(Json.compact(body).getBytes(StandardCharsets.UTF_8));
        } catch (InvalidManifestException e) {
            throw new SnapshotVerificationException("the orchestrator sent no usable listing for " + ref + ": "
                    + e.getMessage());
        }
    }

    private static boolean isEmptyDirectory(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }
}
