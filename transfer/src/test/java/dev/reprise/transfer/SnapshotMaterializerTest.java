package dev.reprise.transfer;

import dev.reprise.api.snapshots.SnapshotManifest;
import dev.reprise.api.snapshots.ManifestEntry;
import dev.reprise.api.snapshots.SnapshotVerificationException;
import dev.reprise.api.snapshots.InvalidManifestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotMaterializerTest {

    @TempDir
    Path tmp;

    private final TestingBlobServer store = new TestingBlobServer();
    private final List<String> warnings = new ArrayList<>();

    @AfterEach
    void stop() {
        store.close();
    }

    private SnapshotMaterializer materializer(Optional<Path> cache) {
        return new SnapshotMaterializer(4, cache, Duration.ofSeconds(5), Duration.ofSeconds(5), warnings::add);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private SnapshotManifest twoFiles() throws InvalidManifestException {
        return SnapshotManifest.of(List.of(
                store.put("train/a.csv", bytes("x,y\n1,2\n"), 0644),
                store.put("bin/run.sh", bytes("#!/bin/sh\necho hi\n"), 0755),
                store.put("copy/of-a.csv", bytes("x,y\n1,2\n"), 0600),
                store.put("empty", new byte[0], 0644)));
    }

    @Test
    void writesEveryFileWithItsContentAndMode() throws Exception {
        SnapshotManifest m = twoFiles();
        store.serve(m);
        Path dir = tmp.resolve("out");

        SnapshotMaterializer.Result result = materializer(Optional.empty())
                .materialize(m.id(), SnapshotMaterializer.httpListing(store.listingUri(), Optional.empty(),
                        Duration.ofSeconds(5)), dir);

        assertThat(result.id()).isEqualTo(m.id());
        assertThat(result.files()).isEqualTo(4);
        assertThat(result.downloaded()).isEqualTo(4);
        assertThat(store.blobRequests()).as("the duplicated content is fetched once").isEqualTo(3);
        assertThat(Files.readString(dir.resolve("train/a.csv"))).isEqualTo("x,y\n1,2\n");
        assertThat(Files.readString(dir.resolve("copy/of-a.csv"))).isEqualTo("x,y\n1,2\n");
        assertThat(Files.size(dir.resolve("empty"))).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("bin/run.sh"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("copy/of-a.csv"))))
                .isEqualTo("rw-------");
        assertThat(leftovers(dir)).isEmpty();
    }

    @Test
    void keepsFilesAlreadyInPlaceAndRewritesChangedOnes() throws Exception {
        SnapshotManifest m = twoFiles();
        store.serve(m);
        Path dir = tmp.resolve("out");
        materializer(Optional.empty()).materialize(m.id(), store::listing, dir);
        Files.writeString(dir.resolve("train/a.csv"), "x,y\n1,3\n");
        int before = store.blobRequests();

        SnapshotMaterializer.Result again = materializer(Optional.empty()).materialize(m.id(), store::listing, dir);

        assertThat(again.reused()).isEqualTo(3);
        assertThat(again.downloaded()).isEqualTo(1);
        assertThat(store.blobRequests() - before).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("train/a.csv"))).isEqualTo("x,y\n1,2\n");
    }

    @Test
    void takesVerifiedBlobsFromTheCacheAndReplacesCorruptOnes() throws Exception {
        SnapshotManifest m = twoFiles();
        store.serve(m);
        Path cache = tmp.resolve("cache");
        materializer(Optional.of(cache)).materialize(m.id(), store::listing, tmp.resolve("first"));
        int before = store.blobRequests();
        String sha = m.entries().stream().filter(e -> e.path().equals("bin/run.sh")).findFirst().orElseThrow()
                .sha256();
        Path cached = cache.resolve("sha256").resolve(sha.substring(0, 2)).resolve(sha);
        Files.delete(cached);
        Files.writeString(cached, "#!/bin/sh\necho HI\n");

        SnapshotMaterializer.Result second = materializer(Optional.of(cache))
                .materialize(m.id(), store::listing, tmp.resolve("second"));

        assertThat(second.fromCache()).isEqualTo(2);
        assertThat(store.blobRequests() - before).as("only the corrupt cached blob is fetched").isEqualTo(1);
        assertThat(Files.readString(tmp.resolve("second/bin/run.sh"))).isEqualTo("#!/bin/sh\necho hi\n");
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("was corrupt"));
    }

    @Test
    void failsOnABlobWhoseContentDoesNotMatchItsHash() throws Exception {
        SnapshotManifest m = twoFiles();
        store.serve(m);
        String sha = m.entries().stream().filter(e -> e.path().equals("train/a.csv")).findFirst().orElseThrow()
                .sha256();
        store.replace(sha, bytes("x,y\n9,9\n"));
        Path dir = tmp.resolve("out");

        assertThatThrownBy(() -> materializer(Optional.empty()).materialize(m.id(), store::listing, dir))
                .isInstanceOf(SnapshotVerificationException.class)
                .hasMessageContaining("blob sha256:" + sha)
                .hasMessageContaining("is corrupt in the store: its content hashes to sha256:");
        assertThat(leftovers(dir)).isEmpty();
    }

    @Test
    void failsOnABlobOfTheWrongSize() throws Exception {
        SnapshotManifest m = twoFiles();
        store.serve(m);
        String sha = m.entries().get(0).sha256();
        store.replace(sha, bytes("truncated"));

        assertThatThrownBy(() -> materializer(Optional.empty()).materialize(m.id(), store::listing,
                tmp.resolve("out")))
                .isInstanceOf(SnapshotVerificationException.class)
                .hasMessageContaining("is corrupt in the store: it holds 9 bytes, the manifest records");
    }

    @Test
    void failsOnAMissingBlobNamingItsPath() throws Exception {
        SnapshotManifest m = twoFiles();
        store.serve(m);
        ManifestEntry script = m.entries().stream().filter(e -> e.path().equals("bin/run.sh")).findFirst()
                .orElseThrow();
        store.remove(script.sha256());

        assertThatThrownBy(() -> materializer(Optional.empty()).materialize(m.id(), store::listing,
                tmp.resolve("out")))
                .isInstanceOf(SnapshotVerificationException.class)
                .hasMessage("blob sha256:" + script.sha256() + " of 'bin/run.sh' (18 bytes) is missing from the store");
    }

    @Test
    void refusesAListingWhoseManifestIsNotTheSnapshotAskedFor() throws Exception {
        SnapshotManifest m = twoFiles();
        String other = "sha256:" + "0".repeat(64);
        store.serveWithId(m, other);

        assertThatThrownBy(() -> materializer(Optional.empty()).materialize(other, store::listing,
                tmp.resolve("out")))
                .isInstanceOf(SnapshotVerificationException.class)
                .hasMessage("the manifest served for " + other + " hashes to " + m.id()
                        + ": it is not the snapshot asked for");
        assertThat(store.blobRequests()).isZero();
    }

    @Test
    void renewsExpiredUrlsByFetchingTheListingAgain() throws Exception {
        SnapshotManifest m = twoFiles();
        store.serve(m);
        DownloadListing stale = store.listing();
        store.expireUrls();
        boolean[] first = {true};

        SnapshotMaterializer.Result result = materializer(Optional.empty()).materialize(m.id(), () -> {
            if (first[0]) {
                first[0] = false;
                return stale;
            }
            return store.listing();
        }, tmp.resolve("out"));

        assertThat(result.downloaded()).isEqualTo(4);
        assertThat(store.listingRequests()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void refusesToWriteThroughASymbolicLinkLeadingOutsideTheDirectory() throws Exception {
        SnapshotManifest m = twoFiles();
        store.serve(m);
        Path dir = Files.createDirectories(tmp.resolve("out"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(dir.resolve("train"), outside);

        assertThatThrownBy(() -> materializer(Optional.empty()).materialize(m.id(), store::listing, dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is a symbolic link leading outside");
        assertThat(outside).isEmptyDirectory();
    }

    private static List<Path> leftovers(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
