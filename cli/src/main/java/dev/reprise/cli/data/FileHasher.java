package dev.reprise.cli.data;

import dev.reprise.api.snapshots.ManifestEntry;
import dev.reprise.api.snapshots.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/** SHA-256 of files, streamed, on a fixed pool of threads; a file that changes size while hashed is an error. */
public final class FileHasher {

    private FileHasher() {
    }

    /** Starts hashing every file on the pool; the futures come in the files' order. */
    public static List<Future<ManifestEntry>> submitAll(List<LocalTree.LocalFile> files, ExecutorService pool) {
        List<Future<ManifestEntry>> futures = new ArrayList<>(files.size());
        for (LocalTree.LocalFile f : files) {
            futures.add(pool.submit(() -> hash(f)));
        }
        return futures;
    }

    /** The manifest entry of one file; the message of a failure names the file. */
    public static ManifestEntry hash(LocalTree.LocalFile f) throws IOException {
        Sha256.Hashed hashed;
        try (InputStream in = Files.newInputStream(f.source())) {
            hashed = Sha256.of(in);
        } catch (AccessDeniedException e) {
            throw new IOException(f.path() + ": permission denied", e);
        } catch (IOException e) {
            throw new IOException(f.path() + ": " + e.getMessage(), e);
        }
        if (hashed.size() != f.size()) {
            throw new IOException(f.path() + ": changed while it was read (" + f.size() + " bytes, then "
                    + hashed.size() + ")");
        }
        return new ManifestEntry(f.path(), hashed.size(), hashed.sha256(), f.mode());
    }
}
