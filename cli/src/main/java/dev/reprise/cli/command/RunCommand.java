package dev.reprise.cli.command;

import dev.reprise.cli.client.Json;
import dev.reprise.cli.client.Query;
import dev.reprise.cli.client.Run;
import dev.reprise.cli.render.RunViews;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Parameters;

/** {@code reprise run RUN_ID}: one run, its parameters and outcome. */
@Command(name = "run", description = "Show one run.")
public final class RunCommand implements Callable<Integer> {
    private final CommandContext context;

    @Parameters(paramLabel = "RUN_ID", description = "Run id, as listed by runs.")
    private long runId;

    public RunCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        context.print(
                context.client().get("/api/v1/runs/" + runId, Query.empty()),
                json -> RunViews.detail(Json.convert(json, Run.class), json));
        return ExitCode.OK;
    }
}
