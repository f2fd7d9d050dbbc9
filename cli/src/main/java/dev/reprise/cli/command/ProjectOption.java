package dev.reprise.cli.command;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Option;

/** {@code -p/--project} of the commands that act on one project's objects (secrets, webhooks), and its API path. */
public final class ProjectOption {

    @Option(names = {"-p", "--project"}, paramLabel = "PROJECT", defaultValue = "default",
            description = "The project (default: ${DEFAULT-VALUE}).")
    private String name;

    public String name() {
        return name;
    }

    /** {@code /api/v1/projects/<name><rest>}, the name percent-encoded. */
    public String path(String rest) {
        return "/api/v1/projects/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20") + rest;
    }
}
