package dev.reprise.cli.command;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.reprise.cli.client.Json;
import dev.reprise.cli.client.Page;
import dev.reprise.cli.client.Query;
import dev.reprise.cli.client.Sweep;
import dev.reprise.cli.render.SweepViews;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reprise sweeps}: one page of sweeps, optionally only those of a project or status. */
@Command(name = "sweeps", description = "List sweeps.")
public final class SweepsCommand implements Callable<Integer> {
    private static final TypeReference<Page<Sweep>> PAGE = new TypeReference<>() {
    };

    private final CommandContext context;

    @Option(names = "--project", paramLabel = "PROJECT", description = "Only sweeps of this project.")
    private String project;

    @Option(names = "--status", paramLabel = "STATUS", description = "Only sweeps with this status, e.g. RUNNING.")
    private String status;

    @Mixin
    private PageOptions pageOptions;

    public SweepsCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Query query = Query.of("project", project)
                .and("status", status == null ? null : status.strip().toUpperCase(Locale.ROOT));
        context.print(
                context.client().get("/api/v1/sweeps", pageOptions.addTo(query)),
                json -> SweepViews.table(Json.convert(json, PAGE), context.tables()));
        return ExitCode.OK;
    }
}
