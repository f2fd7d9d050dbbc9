package dev.reprise.cli.command;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.reprise.cli.client.Json;
import dev.reprise.cli.client.Query;
import dev.reprise.cli.client.Queue;
import dev.reprise.cli.render.QueueViews;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;

/** {@code reprise queues}: every queue with its limits and what it holds now. */
@Command(name = "queues", description = "List queues: running trials, GPUs in use and waiting runs against their limits.")
public final class QueuesCommand implements Callable<Integer> {
    private static final TypeReference<List<Queue>> LIST = new TypeReference<>() {
    };

    private final CommandContext context;

    public QueuesCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        context.print(context.client().get("/api/v1/queues", Query.empty()),
                json -> QueueViews.table(Json.convert(json, LIST), context.tables()));
        return ExitCode.OK;
    }
}
