package dev.reprise.cli.command;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.reprise.api.snapshots.SnapshotRef;
import dev.reprise.cli.client.Query;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code reprise data rm ID}: delete a snapshot no run uses (the server refuses otherwise). */
@Command(name = "rm", description = "Delete a data snapshot by id. Snapshots that runs use cannot be deleted.")
public final class DataRmCommand implements Callable<Integer> {
    private final CommandContext context;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The snapshot id, sha256:...")
    private String id;

    public DataRmCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (!SnapshotRef.isId(id)) {
            throw new ParameterException(spec.commandLine(), "rm takes a snapshot id (sha256:<64 hex digits>), not '"
                    + id + "'; see the ids with: reprise data ls");
        }
        context.client().delete("/api/v1/snapshots/" + id, Query.empty());
        context.print(JsonNodeFactory.instance.objectNode().put("deleted", id), body -> "Deleted snapshot " + id);
        return ExitCode.OK;
    }
}
