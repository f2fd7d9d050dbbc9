package dev.reprise.cli.command;

import dev.reprise.cli.client.Query;
import dev.reprise.cli.render.UsageViews;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Option;

/** {@code reprise usage}: GPU-hours, CPU-hours requested and GPU energy, summed by project, queue, user, sweep or run. */
@Command(name = "usage", description = "Show GPU-hours, CPU-hours and GPU energy used, summed by a key; preempted "
        + "and failed attempts are counted in the totals and shown apart.")
public final class UsageCommand implements Callable<Integer> {

    private final CommandContext context;

    @Option(names = "--project", paramLabel = "PROJECT", description = "Only this project.")
    String project;

    @Option(names = "--from", paramLabel = "WHEN",
            description = "Start of the window: a date (2026-12-01, UTC) or an instant (2026-12-01T08:00:00Z).")
    String from;

    @Option(names = "--to", paramLabel = "WHEN", description = "End of the window (exclusive), as --from.")
    String to;

    @Option(names = "--group-by", paramLabel = "KEY", defaultValue = "project",
            description = "run, sweep, project, queue or user (default: ${DEFAULT-VALUE}).")
    String groupBy;

    public UsageCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        context.print(context.client().get("/api/v1/usage", Query.of("project", project).and("from", from)
                        .and("to", to).and("groupBy", groupBy)),
                json -> UsageViews.table(json, context.tables()));
        return ExitCode.OK;
    }
}
