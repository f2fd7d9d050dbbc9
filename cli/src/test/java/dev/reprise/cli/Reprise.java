package dev.reprise.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs the CLI in-process, the way the tests use it, and reads the test fixtures. */
public final class Reprise {

    private Reprise() {
    }

    public static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = RepriseCli.execute(args, new PrintWriter(out), new PrintWriter(err), env);
        return new Result(exitCode, out.toString(), err.toString());
    }

    /** A test resource as text, e.g. {@code responses/sweep.json}. */
    public static String fixture(String name) {
        try (InputStream in = Reprise.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What one invocation printed and returned. */
    public record Result(int exitCode, String out, String err) {
    }
}
