package dev.reprise.orchestrator.execution.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;

/**
 * The OS user local trials run as ({@code reprise.local.run-as-user}): the agent is started through
 * {@code setpriv} with this user's uid and primary gid and no supplementary groups, and the directories the trial
 * writes are handed to it. Only root can do that, so the user is refused when the orchestrator is not root.
 */
record TrialUser(String name, int uid, int gid, String group) {

    static TrialUser resolve(String name) {
        if (!"0".equals(id("-u").strip())) {
            throw new IllegalStateException("reprise.local.run-as-user=" + name + " needs the orchestrator to run as "
                    + "root (it starts each trial as that user); unset it to run trials as the orchestrator's user");
        }
        try {
            int uid = Integer.parseInt(id("-u", name).strip());
            int gid = Integer.parseInt(id("-g", name).strip());
            if (uid == 0) {
                throw new IllegalStateException("reprise.local.run-as-user must not be root");
            }
            return new TrialUser(name, uid, gid, id("-gn", name).strip());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("reprise.local.run-as-user: no OS user " + name, e);
        }
    }

    /** The prefix that starts a command as this user. */
    List<String> command() {
        return List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--");
    }

    /** Hands a directory to this user. */
    void own(Path dir) throws IOException {
        UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        view.setOwner(users.lookupPrincipalByName(name));
        view.setGroup(users.lookupPrincipalByGroupName(group));
    }

    private static String id(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("id"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("reprise.local.run-as-user: " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run id: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
