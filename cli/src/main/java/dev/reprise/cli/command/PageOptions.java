package dev.reprise.cli.command;

import dev.reprise.cli.client.Query;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --page} and {@code --size} of list commands, checked while parsing. */
public final class PageOptions {
    static final int DEFAULT_SIZE = 50;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    private int page;
    private int size = DEFAULT_SIZE;

    @Option(names = "--page", paramLabel = "N", description = "Page to show, counting from 0 (default: 0).")
    void setPage(int page) {
        if (page < 0) {
            throw new ParameterException(mixee.commandLine(), "--page must be 0 or more, not " + page);
        }
        this.page = page;
    }

    @Option(names = "--size", paramLabel = "N", description = "Items per page (default: " + DEFAULT_SIZE + ").")
    void setSize(int size) {
        if (size < 1) {
            throw new ParameterException(mixee.commandLine(), "--size must be 1 or more, not " + size);
        }
        this.size = size;
    }

    Query addTo(Query query) {
        return query.and("page", page).and("size", size);
    }
}
