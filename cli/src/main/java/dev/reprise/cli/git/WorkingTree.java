package dev.reprise.cli.git;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The git version of the directory a sweep file lives in, as {@code reprise submit} records it: repository URL
 * (the {@code origin} remote, credentials removed), commit, branch and whether the working tree has uncommitted
 * changes. Anything git cannot tell (no git, not a repository, no commit yet) gives nothing: submitting never fails
 * because of it.
 */
public final class WorkingTree {

    private static final long TIMEOUT_SECONDS = 10;

    /** What {@code git} says about one working tree. */
    public record GitState(String repo, String commit, String branch, boolean dirty) {
    }

    private WorkingTree() {
    }

    public static Optional<GitState> of(Path dir) {
        Optional<String> commit = git(dir, "rev-parse", "HEAD");
        if (commit.isEmpty() || !commit.get().matches("[0-9a-f]{40}")) {
            return Optional.empty();
        }
        Optional<String> status = git(dir, "status", "--porcelain", "--untracked-files=no");
        String branch = git(dir, "rev-parse", "--abbrev-ref", "HEAD").filter(b -> !"HEAD".equals(b)).orElse(null);
        String repo = git(dir, "remote", "get-url", "origin").map(WorkingTree::withoutCredentials).orElse(null);
        return Optional.of(new GitState(repo, commit.get(), branch, status.map(s -> !s.isBlank()).orElse(true)));
    }

    /** {@code https://user:token@host/x.git} becomes {@code https://host/x.git}; scp-style addresses stay. */
    static String withoutCredentials(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() != null && uri.getRawUserInfo() != null && uri.getHost() != null) {
                return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(),
                        null).toString();
            }
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            return url;
        }
        return url;
    }

    private static Optional<String> git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readNBytes(1 << 20);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(new String(out, StandardCharsets.UTF_8).strip())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
