package dev.reprise.agent.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The agent's scratch directories (spill file, default metrics file) hold the trial's reports: created readable by
 * their owner only, so that another agent on the same machine (another user's trial) cannot read them.
 */
public final class PrivateDirectories {

    private PrivateDirectories() {
    }

    /** Creates {@code dir} and its missing parents; {@code dir} itself ends up {@code rwx------}. */
    public static void create(Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to narrow
        }
    }
}
