package dev.reprise.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.cli.client.Query;
import dev.reprise.cli.data.DataVerificationException;
import dev.reprise.cli.render.ArtifactViews;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code reprise artifacts RUN_ID} lists a run's artifacts; {@code reprise artifacts get RUN_ID PATH} downloads one. */
@Command(name = "artifacts", description = "List a run's artifacts (its REPRISE_OUTPUT_DIR, uploaded by the agent) "
        + "and archived logs; 'artifacts get' downloads one.")
public final class ArtifactsCommand implements Callable<Integer> {
    private final CommandContext context;

    @Parameters(paramLabel = "RUN_ID", arity = "0..1", description = "Run id.")
    private Long runId;

    @Option(names = "--attempt", paramLabel = "N", description = "Attempt (default: the newest with artifacts).")
    private Integer attempt;

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    private ArtifactsCommand(CommandContext context) {
        this.context = context;
    }

    public static CommandLine create(CommandContext context) {
        return new CommandLine(new ArtifactsCommand(context)).addSubcommand(new Get(context));
    }

    @Override
    public Integer call() {
        if (runId == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: "
                    + "'RUN_ID'");
        }
        context.print(context.client().get("/api/v1/runs/" + runId + "/artifacts", Query.of("attempt", attempt)),
                ArtifactViews::listing);
        return ExitCode.OK;
    }

    /** {@code reprise artifacts get RUN_ID PATH [-O FILE]}: downloads and verifies one artifact. */
    @Command(name = "get", description = "Download one artifact, verified against its SHA-256.")
    public static final class Get implements Callable<Integer> {
        private final CommandContext context;

        @Parameters(index = "0", paramLabel = "RUN_ID", description = "Run id.")
        private long runId;

        @Parameters(index = "1", paramLabel = "PATH", description = "The artifact's path, as listed.")
        private String path;

        @Option(names = {"-O", "--output-file"}, paramLabel = "FILE", description = "Where to write it (default: "
                + "the path's last segment in the current directory; '-' for stdout). -o is the output format.")
        private String file;

        @Option(names = "--attempt", paramLabel = "N", description = "Attempt (default: the newest with artifacts).")
        private Integer attempt;

        public Get(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() throws IOException {
            JsonNode listing = context.client().get("/api/v1/runs/" + runId + "/artifacts",
                    Query.of("attempt", attempt));
            String expected = null;
            for (JsonNode f : listing.path("files")) {
                if (path.equals(f.path("path").asText())) {
                    expected = f.path("sha256").asText();
                }
            }
            String encoded = String.join("/", java.util.Arrays.stream(path.split("/", -1))
                    .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20")).toList());
            Path target = file == null ? Path.of(path.substring(path.lastIndexOf('/') + 1))
                    : "-".equals(file) ? null : Path.of(file);
            Path dir = target == null || target.toAbsolutePath().getParent() == null ? Path.of(".")
                    : target.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, ".reprise-artifact-", ".part");
            try {
                context.client().download("/api/v1/runs/" + runId + "/artifacts/" + encoded,
                        Query.of("attempt", listing.path("attempt").isNumber() ? listing.path("attempt").asInt()
                                : attempt), tmp);
                String actual = sha256(tmp);
                if (expected != null && !expected.equals(actual)) {
                    throw new DataVerificationException("the artifact '" + path + "' hashes to sha256:" + actual
                            + ", not sha256:" + expected, null);
                }
                if (target == null) {
                    Files.copy(tmp, System.out);
                    System.out.flush();
                } else {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                    long size = Files.size(target);
                    com.fasterxml.jackson.databind.node.ObjectNode written =
                            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                                    .put("path", path).put("file", target.toString()).put("size", size)
                                    .put("sha256", actual);
                    context.print(written, json -> "Wrote " + target + " (" + size + " bytes, sha256:" + actual
                            + ")");
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return ExitCode.OK;
        }

        private static String sha256(Path p) {
            try (var in = Files.newInputStream(p)) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
                return HexFormat.of().formatHex(md.digest());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
