package dev.reprise.cli.command;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.reprise.cli.client.Json;
import dev.reprise.cli.client.Page;
import dev.reprise.cli.client.Query;
import dev.reprise.cli.client.Run;
import dev.reprise.cli.render.RunViews;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code reprise runs SWEEP_ID}: the runs of a sweep, one column per parameter. */
@Command(name = "runs", description = "List the runs of a sweep.")
public final class RunsCommand implements Callable<Integer> {
    static final List<String> SORT_KEYS = List.of("index", "-index", "state", "-state", "created", "-created");
    private static final TypeReference<Page<Run>> PAGE = new TypeReference<>() {
    };

    private final CommandContext context;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "SWEEP_ID", description = "Sweep id.")
    private long sweepId;

    @Mixin
    private PageOptions pageOptions;

    private String sort = "index";

    public RunsCommand(CommandContext context) {
        this.context = context;
    }

    @Option(names = "--sort", paramLabel = "KEY",
            description = "index (default), state or created; a leading - sorts descending, e.g. --sort=-created.")
    void setSort(String sort) {
        if (!SORT_KEYS.contains(sort)) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--sort': '" + sort + "' (expected one of " + String.join(", ", SORT_KEYS) + ")");
        }
        this.sort = sort;
    }

    @Override
    public Integer call() {
        context.print(
                context.client().get("/api/v1/sweeps/" + sweepId + "/runs", pageOptions.addTo(Query.empty()).and("sort", sort)),
                json -> RunViews.table(Json.convert(json, PAGE), context.tables()));
        return ExitCode.OK;
    }
}
