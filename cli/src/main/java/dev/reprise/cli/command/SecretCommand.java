package dev.reprise.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.cli.ExitCodes;
import dev.reprise.cli.client.Payload;
import dev.reprise.cli.client.Query;
import dev.reprise.cli.render.Cells;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
 * {@code reprise secret}: the project's local secret store, which sweeps reference as
 * {@code env: {HF_TOKEN: {secret: NAME, key: KEY}}} on the local executor. Values go in, never come back.
 */
@Command(name = "secret", description = "Set, list and remove the secrets sweeps reference in env (local executor).",
        synopsisSubcommandLabel = "COMMAND", commandListHeading = "%nCommands:%n")
public final class SecretCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    private SecretCommand() {
    }

    public static CommandLine create(CommandContext context) {
        return new CommandLine(new SecretCommand())
                .addSubcommand(new Set(context, System.in))
                .addSubcommand(new Ls(context))
                .addSubcommand(new Rm(context));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    private static String path(ProjectOption project, String name) {
        return project.path("/secrets" + (name == null ? "" : "/" + URLEncoder.encode(name, StandardCharsets.UTF_8)));
    }

    /** {@code reprise secret set NAME KEY [--from-env VAR] [--project P]}: the value from stdin or a variable. */
    @Command(name = "set", description = "Create or replace a secret holding one key. The value is read from standard "
            + "input (never from the command line, which other users of the machine can see), or from --from-env.")
    public static final class Set implements Callable<Integer> {
        private final CommandContext context;
        private final InputStream stdin;

        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The secret's name, e.g. hf-token")
        private String name;

        @Parameters(index = "1", paramLabel = "KEY", description = "The key inside it, e.g. token")
        private String key;

        @Mixin
        private ProjectOption project;

        @Option(names = "--from-env", paramLabel = "VAR", description = "Take the value from this environment variable.")
        private String fromEnv;

        public Set(CommandContext context, InputStream stdin) {
            this.context = context;
            this.stdin = stdin;
        }

        @Override
        public Integer call() throws IOException {
            String value;
            if (fromEnv != null) {
                value = context.env().get(fromEnv);
                if (value == null || value.isEmpty()) {
                    return usage("the environment variable " + fromEnv + " is not set");
                }
            } else {
                value = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
                // `echo value | reprise secret set …` and a typed line end with a newline that is not the secret's
                value = value.endsWith("\r\n") ? value.substring(0, value.length() - 2)
                        : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
                if (value.isEmpty()) {
                    return usage("no value on standard input");
                }
            }
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.putObject("data").put(key, value);
            JsonNode stored = context.client().put(path(project, name), Query.empty(),
                    new Payload("application/json", body.toString().getBytes(StandardCharsets.UTF_8)));
            context.print(stored, s -> "Set secret " + s.path("name").asText() + " (key " + key + ") in project "
                    + s.path("project").asText() + ". Reference it in a sweep as\n  env:\n    VARIABLE: {secret: "
                    + s.path("name").asText() + ", key: " + key + "}");
            return ExitCode.OK;
        }

        private int usage(String message) {
            spec.commandLine().getErr().println("Error: " + message);
            spec.commandLine().getErr().flush();
            return ExitCodes.USAGE;
        }
    }

    /** {@code reprise secret ls [--project P]}: names and keys, never values. */
    @Command(name = "ls", description = "List the project's secrets: names and keys, never values.")
    public static final class Ls implements Callable<Integer> {
        private static final List<String> HEADERS = List.of("NAME", "KEYS", "UPDATED", "BY");
        private final CommandContext context;

        @Mixin
        private ProjectOption project;

        public Ls(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            context.print(context.client().get(path(project, null), Query.empty()), list -> {
                if (list.isEmpty()) {
                    return "No secrets in project " + project.name() + ".";
                }
                List<List<String>> rows = new ArrayList<>();
                for (JsonNode s : list) {
                    List<String> keys = new ArrayList<>();
                    s.path("keys").forEach(k -> keys.add(k.asText()));
                    rows.add(List.of(s.path("name").asText(), String.join(",", keys),
                            Cells.timestamp(s.path("updatedAt").asText(null)), s.path("updatedBy").asText("")));
                }
                return context.tables().render(HEADERS, rows);
            });
            return ExitCode.OK;
        }
    }

    /** {@code reprise secret rm NAME [--project P]}. */
    @Command(name = "rm", description = "Remove a secret; trials that start later and reference it fail.")
    public static final class Rm implements Callable<Integer> {
        private final CommandContext context;

        @Parameters(paramLabel = "NAME", description = "The secret's name")
        private String name;

        @Mixin
        private ProjectOption project;

        public Rm(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            context.client().delete(path(project, name), Query.empty());
            context.print(JsonNodeFactory.instance.objectNode().put("removed", name), b -> "Removed secret " + name
                    + " from project " + project.name());
            return ExitCode.OK;
        }
    }
}
