package dev.reprise.transfer;

import dev.reprise.api.snapshots.ManifestEntry;
import dev.reprise.api.snapshots.Sha256;
import dev.reprise.api.snapshots.SnapshotManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * The file-system side of materialising a snapshot: where a path may be written (never outside the target, never
 * through a link), whether a file already holds an entry's content, and how a verified temporary file is put in place
 * (mode set, then renamed, so a reader never sees a partial file).
 */
final class SnapshotFiles {

    private static final int BUFFER = 256 * 1024;

    private SnapshotFiles() {
    }

    /** The file's place under root, with its parent directories created and proven to lie inside root. */
    static Path destination(Path root, String path) throws IOException {
        Path dest = root.resolve(path).normalize();
        if (!dest.startsWith(root) || dest.equals(root)) {
            throw new IOException("refusing to write '" + path + "' outside " + root);
        }
        Path parent = dest.getParent();
        try {
            Files.createDirectories(parent);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot create the directory for '" + path + "': " + e.getFile()
                    + " exists and is not a directory", e);
        }
        if (!parent.toRealPath().startsWith(root)) {
            throw new IOException("refusing to write '" + path + "': " + root.relativize(parent)
                    + " is a symbolic link leading outside " + root);
        }
        return dest;
    }

    static boolean holds(Path file, ManifestEntry e) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) != e.size()) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return Sha256.of(in).sha256().equals(e.sha256());
        }
    }

    static long copy(InputStream in, OutputStream out, MessageDigest digest, long limit) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        for (int n; total < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total))) != -1; ) {
            digest.update(buffer, 0, n);
            out.write(buffer, 0, n);
            total += n;
        }
        return total;
    }

    static void install(Path tmp, Path dest, int mode) throws IOException {
        try {
            setMode(tmp, mode);
            move(tmp, dest);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    static void move(Path tmp, Path dest) throws IOException {
        try {
            Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static Path temporary(Path dir, String sha256) {
        return dir.resolve(".reprise-" + sha256.substring(0, 12) + "-" + UUID.randomUUID() + ".tmp");
    }

    static void setMode(Path file, int mode) throws IOException {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                perms.add(order[bit]);
            }
        }
        try {
            Files.setPosixFilePermissions(file, perms);
        } catch (UnsupportedOperationException notPosix) {
            // e.g. a Windows file system: modes are not kept there
        }
    }

    static void checkSpace(Path root, SnapshotManifest manifest) throws IOException {
        long needed = 0;
        for (ManifestEntry e : manifest.entries()) {
            Path p = root.resolve(e.path());
            if (!(Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.size(p) == e.size())) {
                needed += e.size();
            }
        }
        long free = Files.getFileStore(root).getUsableSpace();
        if (needed > free) {
            throw new IOException("not enough space in " + root + ": the snapshot needs " + needed
                    + " more bytes, " + free + " are free");
        }
    }

}
