package dev.reprise.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.cli.ExitCodes;
import dev.reprise.cli.client.Payload;
import dev.reprise.cli.client.Query;
import dev.reprise.cli.render.Cells;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code reprise webhook}: a project's HTTP endpoints that receive signed events (docs/webhooks.md). The signing
 * secret is printed once, by {@code add}.
 */
@Command(name = "webhook", description = "Add, list and remove the project's webhooks, and see their deliveries.",
        synopsisSubcommandLabel = "COMMAND", commandListHeading = "%nCommands:%n")
public final class WebhookCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    private WebhookCommand() {
    }

    public static CommandLine create(CommandContext context) {
        return new CommandLine(new WebhookCommand())
                .addSubcommand(new Add(context))
                .addSubcommand(new Ls(context))
                .addSubcommand(new Rm(context))
                .addSubcommand(new Deliveries(context));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    private static String path(ProjectOption project, String rest) {
        return project.path("/webhooks" + rest);
    }

    /** {@code reprise webhook add URL --event E [--event E…] [--format slack] [--project P]}. */
    @Command(name = "add", description = "Subscribe URL to events: sweep.finished, sweep.failed, sweep.budget_reached, "
            + "run.new_best, run.failed. Prints the signing secret once; it is never shown again.")
    public static final class Add implements Callable<Integer> {
        private final CommandContext context;

        @Parameters(paramLabel = "URL", description = "The receiver, http or https")
        private String url;

        @Option(names = {"-e", "--event"}, paramLabel = "EVENT", required = true, split = ",",
                description = "An event to send (repeat, or separate with commas)")
        private List<String> events;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
                description = "json (the event) or slack (a Slack-compatible message) (default: ${DEFAULT-VALUE})")
        private String format;

        @Mixin
        private ProjectOption project;

        public Add(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("url", url);
            events.forEach(body.putArray("events")::add);
            body.put("format", format);
            JsonNode created = context.client().post(path(project, ""), Query.empty(), Optional.of(
                    new Payload("application/json", body.toString().getBytes(StandardCharsets.UTF_8))));
            context.print(created, w -> "Added webhook " + w.path("id").asText() + " for project "
                    + w.path("project").asText() + ": " + w.path("url").asText() + " (" + join(w.path("events"))
                    + ", " + w.path("format").asText() + ")\nSigning secret (shown only now; store it with the "
                    + "receiver):\n  " + w.path("secret").asText()
                    + "\nEach delivery carries X-Reprise-Signature-256: sha256=HMAC-SHA256(secret, body), in hex.");
            return ExitCode.OK;
        }
    }

    /** {@code reprise webhook ls [--project P]}: without secrets. */
    @Command(name = "ls", aliases = "list", description = "List the project's webhooks (never their secrets).")
    public static final class Ls implements Callable<Integer> {
        private static final List<String> HEADERS = List.of("ID", "URL", "EVENTS", "FORMAT", "CREATED", "BY");
        private final CommandContext context;

        @Mixin
        private ProjectOption project;

        public Ls(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            context.print(context.client().get(path(project, ""), Query.empty()), list -> {
                if (list.isEmpty()) {
                    return "No webhooks in project " + project.name() + ".";
                }
                List<List<String>> rows = new ArrayList<>();
                for (JsonNode w : list) {
                    rows.add(List.of(w.path("id").asText(), w.path("url").asText(), join(w.path("events")),
                            w.path("format").asText(), Cells.timestamp(w.path("createdAt").asText(null)),
                            w.path("createdBy").asText("")));
                }
                return context.tables().render(HEADERS, rows);
            });
            return ExitCode.OK;
        }
    }

    /** {@code reprise webhook rm ID [--project P]}. */
    @Command(name = "rm", description = "Remove a webhook and its deliveries.")
    public static final class Rm implements Callable<Integer> {
        private final CommandContext context;

        @Parameters(paramLabel = "ID", description = "The webhook's id")
        private long id;

        @Mixin
        private ProjectOption project;

        public Rm(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            context.client().delete(path(project, "/" + id), Query.empty());
            context.print(JsonNodeFactory.instance.objectNode().put("removed", id), b -> "Removed webhook " + id
                    + " from project " + project.name());
            return ExitCode.OK;
        }
    }

    /** {@code reprise webhook deliveries ID [--state FAILED] [--project P]}. */
    @Command(name = "deliveries", description = "The webhook's deliveries, newest first: PENDING (waiting for its "
            + "next attempt), DELIVERED, or FAILED (attempts ran out; ERROR says why).")
    public static final class Deliveries implements Callable<Integer> {
        private static final List<String> HEADERS = List.of("ID", "EVENT", "STATE", "ATTEMPTS", "STATUS", "NEXT",
                "CREATED", "ERROR");
        private final CommandContext context;

        @Parameters(paramLabel = "ID", description = "The webhook's id")
        private long id;

        @Option(names = "--state", paramLabel = "STATE", description = "Only PENDING, DELIVERED or FAILED ones")
        private String state;

        @Mixin
        private ProjectOption project;

        public Deliveries(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Query query = state == null ? Query.empty() : Query.of("state", state);
            context.print(context.client().get(path(project, "/" + id + "/deliveries"), query), list -> {
                if (list.isEmpty()) {
                    return "No deliveries for webhook " + id + ".";
                }
                List<List<String>> rows = new ArrayList<>();
                for (JsonNode d : list) {
                    rows.add(List.of(d.path("id").asText(), d.path("event").asText(), d.path("state").asText(),
                            d.path("attempts").asText(), d.path("lastStatus").isNumber()
                                    ? d.path("lastStatus").asText() : "-",
                            Cells.timestamp(d.path("nextAttemptAt").asText(null)),
                            Cells.timestamp(d.path("createdAt").asText(null)), d.path("lastError").asText("")));
                }
                return context.tables().render(HEADERS, rows);
            });
            return ExitCode.OK;
        }
    }

    private static String join(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.asText()));
        return String.join(",", out);
    }
}
