package dev.reprise.cli.command;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.transfer.SnapshotMaterializer;
import dev.reprise.api.snapshots.SnapshotRef;
import dev.reprise.cli.data.SnapshotPull;
import dev.reprise.cli.render.SnapshotViews;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code reprise data pull REF DIR [--force]}: write a snapshot's files into a directory, verifying every byte. */
@Command(name = "pull", description = {
    "Write a snapshot's files into DIR, verifying each file's SHA-256 and the manifest against the snapshot id. "
            + "DIR must be empty or new unless --force is given."})
public final class DataPullCommand implements Callable<Integer> {
    private final CommandContext context;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "REF", description = "NAME, NAME:TAG or an id sha256:...")
    private String ref;

    @Parameters(index = "1", paramLabel = "DIR", description = "Where to write the files.")
    private Path dir;

    @Option(names = "--force", description = "Write into a non-empty DIR: files with the snapshot's content are "
            + "kept, other listed files are replaced, unlisted files are left alone.")
    private boolean force;

    @Option(names = "--parallel", paramLabel = "N", description = "Files downloaded at once "
            + "(default: the number of cores, 2 to 16).")
    private Integer parallel;

    public DataPullCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        SnapshotRef checked = checkRef(spec, ref);
        int threads = parallel == null ? DataCommand.defaultThreads() : Math.max(1, parallel);
        List<String> warnings = new ArrayList<>();
        SnapshotMaterializer.Result r = new SnapshotPull(context.client(), threads).pull(checked, dir, force,
                warnings);
        ObjectNode json = JsonNodeFactory.instance.objectNode()
                .put("id", r.id())
                .put("ref", checked.toString())
                .put("dir", dir.toString())
                .put("files", r.files())
                .put("bytes", r.bytes())
                .put("downloaded", r.downloaded())
                .put("reused", r.reused())
                .put("downloadedBytes", r.downloadedBytes());
        context.print(json, body -> "Pulled " + checked + " = " + r.id() + " into " + dir + " ("
                + SnapshotViews.count(r.files(), "file") + ", " + SnapshotViews.size(r.bytes()) + "; downloaded "
                + r.downloaded() + ", already there " + r.reused() + ")");
        return ExitCode.OK;
    }

    static SnapshotRef checkRef(CommandSpec spec, String ref) {
        return SnapshotRef.parse(ref).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "'" + ref + "' is not a snapshot reference: use NAME, NAME:TAG or sha256:<64 hex digits>"));
    }
}
