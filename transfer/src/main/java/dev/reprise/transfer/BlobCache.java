package dev.reprise.transfer;

import dev.reprise.api.snapshots.ManifestEntry;
import dev.reprise.api.snapshots.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An optional local cache of blobs keyed by SHA-256 ({@code DIR/sha256/ab/abcd...}), shared across snapshots. Every
 * copy out of it is verified again; a corrupt entry is removed and the blob downloaded instead.
 */
final class BlobCache {

    private final Optional<Path> cacheDir;
    private final Consumer<String> warnings;

    BlobCache(Optional<Path> cacheDir, Consumer<String> warnings) {
        this.cacheDir = cacheDir;
        this.warnings = warnings;
    }

    /** A verified copy of the blob from the cache, in dir; null when the cache does not have it (or had it wrong). */
    Path copyOut(ManifestEntry e, Path dir) throws IOException {
        if (cacheDir.isEmpty()) {
            return null;
        }
        Path cached = cachePath(e.sha256());
        if (!Files.isRegularFile(cached) || Files.size(cached) != e.size()) {
            return null;
        }
        Path tmp = SnapshotFiles.temporary(dir, e.sha256());
        MessageDigest digest = Sha256.digest();
        try (InputStream in = Files.newInputStream(cached); OutputStream out = Files.newOutputStream(tmp)) {
            SnapshotFiles.copy(in, out, digest, Long.MAX_VALUE);
        } catch (IOException ex) {
            Files.deleteIfExists(tmp);
            warnings.accept("cannot read cached blob " + cached + ": " + ex.getMessage() + "; downloading it");
            return null;
        }
        if (!HexFormat.of().formatHex(digest.digest()).equals(e.sha256())) {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(cached);
            warnings.accept("cached blob " + cached + " was corrupt; removed it and downloading the blob");
            return null;
        }
        return tmp;
    }

    void store(Path file, ManifestEntry e) {
        if (cacheDir.isEmpty()) {
            return;
        }
        Path cached = cachePath(e.sha256());
        try {
            if (Files.isRegularFile(cached) && Files.size(cached) == e.size()) {
                return;
            }
            Files.createDirectories(cached.getParent());
            Path tmp = SnapshotFiles.temporary(cached.getParent(), e.sha256());
            Files.deleteIfExists(tmp);
            try {
                Files.createLink(tmp, file);
            } catch (IOException | UnsupportedOperationException notSameFileSystem) {
                Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            SnapshotFiles.move(tmp, cached);
        } catch (IOException ex) {
            warnings.accept("cannot store blob " + e.sha256() + " in the cache " + cacheDir.get() + ": "
                    + ex.getMessage());
        }
    }

    private Path cachePath(String sha256) {
        return cacheDir.orElseThrow().resolve("sha256").resolve(sha256.substring(0, 2)).resolve(sha256);
    }
}
