package dev.reprise.cli.data;

import dev.reprise.api.snapshots.SnapshotPaths;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The files of a directory as a snapshot will hold them, found before anything is hashed or uploaded. Symbolic links
 * are followed when they stay inside the directory (the snapshot holds the target's content at the link's path) and
 * refused when they leave it, dangle or loop. Unreadable files and directories, FIFOs, sockets and devices, and names
 * the store cannot hold ({@link SnapshotPaths}) are refused too. Every problem is collected, so one run names them all.
 *
 * <p>Modes are kept as git keeps them: {@code 0755} when the owner may execute the file, else {@code 0644}, so the
 * same files give the same snapshot id whatever the umask of whoever pushes them.
 */
public final class LocalTree {

    public static final int MAX_LISTED_PROBLEMS = 20;

    /** One file to push: its path in the snapshot, where its bytes are, their size, and its mode. */
    public record LocalFile(String path, Path source, long size, int mode) {
    }

    private final Path root;
    private final List<LocalFile> files = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    private LocalTree(Path root) {
        this.root = root;
    }

    /** Scans {@code dir}; throws {@link DataInputException} naming every problem found. */
    public static List<LocalFile> scan(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DataInputException(dir + " is not a directory");
        }
        Path root;
        try {
            root = dir.toRealPath();
        } catch (IOException e) {
            throw new DataInputException("cannot read " + dir + ": " + e.getMessage());
        }
        LocalTree tree = new LocalTree(root);
        Set<Path> ancestors = new HashSet<>();
        ancestors.add(root);
        tree.walk(root, "", ancestors);
        if (!tree.problems.isEmpty()) {
            int n = tree.problems.size();
            StringBuilder message = new StringBuilder("Cannot push " + dir + ": " + n + " problem"
                    + (n == 1 ? "" : "s") + "; nothing was uploaded.");
            tree.problems.stream().limit(MAX_LISTED_PROBLEMS).forEach(p -> message.append("\n  ").append(p));
            if (n > MAX_LISTED_PROBLEMS) {
                message.append("\n  ... and ").append(n - MAX_LISTED_PROBLEMS).append(" more");
            }
            throw new DataInputException(message.toString());
        }
        if (tree.files.isEmpty()) {
            throw new DataInputException("Cannot push " + dir + ": it holds no files");
        }
        return List.copyOf(tree.files);
    }

    private void walk(Path dir, String prefix, Set<Path> ancestors) {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(children::add);
        } catch (AccessDeniedException e) {
            problems.add(label(prefix) + ": cannot list the directory: permission denied");
            return;
        } catch (IOException e) {
            problems.add(label(prefix) + ": cannot list the directory: " + e.getMessage());
            return;
        }
        children.sort((a, b) -> SnapshotPaths.compare(a.getFileName().toString(), b.getFileName().toString()));
        for (Path child : children) {
            String name = child.getFileName().toString();
            String path = prefix.isEmpty() ? name : prefix + "/" + name;
            if (!representable(dir, name)) {
                problems.add(printable(path) + ": the name is not valid in the file system's encoding (run with a "
                        + "UTF-8 locale, e.g. LANG=C.UTF-8)");
                continue;
            }
            var pathProblem = SnapshotPaths.problem(path);
            if (pathProblem.isPresent()) {
                problems.add(printable(path) + ": " + pathProblem.get());
                continue;
            }
            visit(child, path, ancestors);
        }
    }

    private void visit(Path child, String path, Set<Path> ancestors) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            problems.add(path + ": " + e.getMessage());
            return;
        }
        if (attrs.isSymbolicLink()) {
            followLink(child, path, ancestors);
        } else if (attrs.isDirectory()) {
            descend(child, path, ancestors);
        } else if (attrs.isRegularFile()) {
            addFile(child, path, attrs.size());
        } else {
            problems.add(path + ": not a regular file, directory or symbolic link (a FIFO, socket or device)");
        }
    }

    private void followLink(Path link, String path, Set<Path> ancestors) {
        Path target;
        String shown;
        try {
            shown = Files.readSymbolicLink(link).toString();
            target = link.toRealPath();
        } catch (NoSuchFileException e) {
            problems.add(path + ": symbolic link to a missing file");
            return;
        } catch (IOException e) {
            problems.add(path + ": cannot follow the symbolic link: " + e.getMessage());
            return;
        }
        if (!target.startsWith(root)) {
            problems.add(path + " -> " + shown + ": symbolic link points outside the directory");
            return;
        }
        if (Files.isDirectory(target)) {
            descend(target, path, ancestors);
        } else if (Files.isRegularFile(target)) {
            try {
                addFile(target, path, Files.size(target));
            } catch (IOException e) {
                problems.add(path + ": " + e.getMessage());
            }
        } else {
            problems.add(path + " -> " + shown + ": the link's target is not a regular file or directory");
        }
    }

    private void descend(Path dir, String path, Set<Path> ancestors) {
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            problems.add(path + ": " + e.getMessage());
            return;
        }
        if (!ancestors.add(real)) {
            problems.add(path + ": symbolic link loop (leads back to " + label(root.relativize(real).toString())
                    + ")");
            return;
        }
        walk(real, path, ancestors);
        ancestors.remove(real);
    }

    private void addFile(Path source, String path, long size) {
        if (!Files.isReadable(source)) {
            problems.add(path + ": permission denied");
            return;
        }
        int mode = 0644;
        try {
            if (Files.getPosixFilePermissions(source).contains(PosixFilePermission.OWNER_EXECUTE)) {
                mode = 0755;
            }
        } catch (UnsupportedOperationException | IOException notPosix) {
            mode = Files.isExecutable(source) ? 0755 : 0644;
        }
        files.add(new LocalFile(path, source, size, mode));
    }

    /** Whether the decoded name leads back to the same entry (it does not when the JVM's encoding is lossy). */
    private static boolean representable(Path dir, String name) {
        boolean plain = name.chars().allMatch(c -> c < 0x80 && c != '?');
        return plain || Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS);
    }

    private static String label(String prefix) {
        return prefix.isEmpty() ? "." : prefix;
    }

    private static String printable(String path) {
        StringBuilder out = new StringBuilder();
        path.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
