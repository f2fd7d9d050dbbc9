package dev.reprise.cli.command;

import dev.reprise.cli.client.Json;
import dev.reprise.cli.client.Payload;
import dev.reprise.cli.client.Query;
import dev.reprise.cli.client.Sweep;
import dev.reprise.cli.render.SweepViews;
import java.nio.file.Path;
import java.util.Optional;
import dev.reprise.cli.git.WorkingTree;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code reprise submit FILE}: sends the sweep file as it is; the server validates and expands it. */
@Command(name = "submit", description = "Submit a sweep file (YAML or JSON) and print the new sweep's id.")
public final class SubmitCommand implements Callable<Integer> {
    private final CommandContext context;

    @Parameters(paramLabel = "FILE", description = "Sweep file: .yaml/.yml are sent as YAML, .json as JSON.")
    private Path file;

    @Option(names = "--project", paramLabel = "PROJECT", description = "Project to submit into, overriding the file's.")
    private String project;

    @Option(names = "--no-git", description = "Do not record the git commit of the sweep file's working tree.")
    private boolean noGit;

    public SubmitCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Payload payload = SweepFiles.read(file);
        Query query = Query.of("project", project);
        if (!noGit) {
            // the server records it unless the file has a git: field of its own
            java.nio.file.Path dir = file.toAbsolutePath().getParent();
            var git = dir == null ? Optional.<WorkingTree.GitState>empty() : WorkingTree.of(dir);
            if (git.isPresent()) {
                query = query.and("gitRepo", git.get().repo()).and("gitCommit", git.get().commit())
                        .and("gitBranch", git.get().branch()).and("gitDirty", git.get().dirty());
            }
        }
        context.print(
                context.client().post("/api/v1/sweeps", query, Optional.of(payload)),
                json -> SweepViews.submitted(Json.convert(json, Sweep.class)));
        return ExitCode.OK;
    }
}
