package dev.reprise.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.api.snapshots.SnapshotRef;
import dev.reprise.cli.data.SnapshotPush;
import dev.reprise.cli.render.SnapshotViews;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code reprise data push DIR --name NAME [--tag TAG]}: snapshot a directory, uploading only new content. */
@Command(name = "push", description = {
    "Snapshot a directory: hash every file, upload the content the store does not have yet, and point NAME:TAG "
            + "at the snapshot. Pushing again after an interruption uploads only what is still missing."})
public final class DataPushCommand implements Callable<Integer> {
    private final CommandContext context;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The directory to snapshot.")
    private Path dir;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Snapshot name, e.g. digits.")
    private String name;

    @Option(names = "--tag", paramLabel = "TAG", description = "Tag to point at the snapshot (default: latest).")
    private String tag;

    @Option(names = "--parallel", paramLabel = "N", description = "Files hashed and uploaded at once "
            + "(default: the number of cores, 2 to 16).")
    private Integer parallel;

    @Option(names = {"-v", "--verbose"}, description = "Print each phase and its duration on stderr.")
    private boolean verbose;

    public DataPushCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        SnapshotRef.nameProblem(name).ifPresent(p -> {
            throw new ParameterException(spec.commandLine(), "--name " + p);
        });
        if (tag != null) {
            SnapshotRef.tagProblem(tag).ifPresent(p -> {
                throw new ParameterException(spec.commandLine(), "--tag " + p);
            });
        }
        int threads = parallel == null ? DataCommand.defaultThreads() : Math.max(1, parallel);
        PrintWriter err = spec.commandLine().getErr();
        SnapshotPush.Result result = new SnapshotPush(context.client(), threads, threads, line -> {
            if (verbose) {
                err.print(line + "\n");
                err.flush();
            }
        }).push(dir, name, tag);
        ObjectNode json = result.commit().deepCopy();
        json.putObject("upload").put("newBlobs", result.newBlobs()).put("newBytes", result.newBytes());
        context.print(json, body -> SnapshotViews.pushed(body, result.newBlobs(), result.newBytes()));
        return ExitCode.OK;
    }
}
