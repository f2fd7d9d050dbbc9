package dev.reprise.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.cli.ExitCodes;
import dev.reprise.cli.client.Payload;
import dev.reprise.cli.client.Query;
import dev.reprise.cli.render.Cells;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code reprise token}: API tokens for the CLI, agents and automation. */
@Command(name = "token", description = "Create, list and revoke API tokens.",
        synopsisSubcommandLabel = "COMMAND", commandListHeading = "%nCommands:%n")
public final class TokenCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    private TokenCommand() {
    }

    public static CommandLine create(CommandContext context) {
        return new CommandLine(new TokenCommand())
                .addSubcommand(new Create(context))
                .addSubcommand(new Ls(context))
                .addSubcommand(new Revoke(context));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** {@code reprise token create --project P --role ROLE [--expires 30d] [--name N] [--subject S]}. */
    @Command(name = "create", description = "Create a token; its secret is printed once and never again.")
    public static final class Create implements Callable<Integer> {
        private final CommandContext context;

        @Option(names = "--project", required = true, paramLabel = "PROJECT",
                description = "The project the token is scoped to ('*': every project, admins only).")
        private String project;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "viewer, member, maintainer or admin (at most your own role).")
        private String role;

        @Option(names = "--expires", paramLabel = "DURATION", description = "Lifetime, e.g. 30d, 12h (default 30d).")
        private String expires;

        @Option(names = "--name", paramLabel = "NAME", description = "What the token is for.")
        private String name;

        @Option(names = "--subject", paramLabel = "SUBJECT",
                description = "Whom the token acts for (owner of what it submits); default: you.")
        private String subject;

        public Create(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("project", project).put("role", role);
            if (expires != null) {
                body.put("expiresIn", expires);
            }
            if (name != null) {
                body.put("name", name);
            }
            if (subject != null) {
                body.put("subject", subject);
            }
            JsonNode created = context.client().post("/api/v1/tokens", Query.empty(),
                    Optional.of(new Payload("application/json", body.toString().getBytes(StandardCharsets.UTF_8))));
            context.print(created, t -> "Created token " + t.path("id").asText() + " for project "
                    + t.path("project").asText() + " (" + t.path("role").asText() + "), expires "
                    + Cells.timestamp(t.path("expiresAt").asText(null)) + ".\nIts secret is shown only now:\n\n  "
                    + t.path("token").asText()
                    + "\n\nUse it with --token, REPRISE_TOKEN or token= in the config file.");
            return ExitCode.OK;
        }
    }

    /** {@code reprise token ls [--project P] [--all]}. */
    @Command(name = "ls", description = "List the tokens of the projects you maintain (never their secrets).")
    public static final class Ls implements Callable<Integer> {
        private static final List<String> HEADERS = List.of("ID", "PROJECT", "ROLE", "SUBJECT", "NAME", "EXPIRES",
                "LAST USED", "STATE");
        private final CommandContext context;

        @Option(names = "--project", paramLabel = "PROJECT", description = "Only this project's tokens.")
        private String project;

        @Option(names = "--all", description = "Include revoked and expired tokens.")
        private boolean all;

        @Mixin
        private PageOptions pageOptions;

        public Ls(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Query query = Query.of("project", project).and("all", all ? "true" : null);
            context.print(context.client().get("/api/v1/tokens", pageOptions.addTo(query)), page -> {
                JsonNode items = page.path("items");
                if (items.isEmpty()) {
                    return "No tokens found.";
                }
                List<List<String>> rows = new ArrayList<>();
                for (JsonNode t : items) {
                    String state = t.hasNonNull("revokedAt") ? "revoked" : "active";
                    rows.add(List.of(t.path("id").asText(), t.path("project").asText(), t.path("role").asText(),
                            t.path("subject").asText(), t.path("name").asText(""),
                            Cells.timestamp(t.path("expiresAt").asText(null)),
                            Cells.timestamp(t.path("lastUsedAt").asText(null)), state));
                }
                return context.tables().render(HEADERS, rows);
            });
            return ExitCode.OK;
        }
    }

    /** {@code reprise token revoke ID}. */
    @Command(name = "revoke", description = "Revoke a token: it stops working at once.")
    public static final class Revoke implements Callable<Integer> {
        private final CommandContext context;

        @Parameters(paramLabel = "ID", description = "The token id (from token ls)")
        private long id;

        public Revoke(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            context.client().delete("/api/v1/tokens/" + id, Query.empty());
            context.print(JsonNodeFactory.instance.objectNode().put("revoked", id), b -> "Revoked token " + id);
            return ExitCode.OK;
        }
    }
}
