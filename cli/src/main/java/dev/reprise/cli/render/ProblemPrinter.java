package dev.reprise.cli.render;

import dev.reprise.cli.client.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints a problem detail for people: {@code Error 422 Invalid sweep: detail}, then one indented
 * {@code field: message} line per field error.
 */
public final class ProblemPrinter {

    private ProblemPrinter() {
    }

    /** The problem as lines joined by {@code \n}, without a final line break. */
    public static String format(Problem problem) {
        List<String> lines = new ArrayList<>();
        StringBuilder first = new StringBuilder("Error");
        if (problem.status() != null) {
            first.append(' ').append(problem.status());
        }
        if (problem.title() != null && !problem.title().isBlank()) {
            first.append(' ').append(problem.title().strip());
        }
        if (problem.detail() != null && !problem.detail().isBlank()) {
            first.append(": ").append(problem.detail().strip());
        }
        lines.add(first.toString());
        for (Problem.FieldError error : problem.errors()) {
            String message = error.message() == null ? "invalid" : error.message();
            lines.add(error.field() == null || error.field().isBlank()
                    ? "  " + message
                    : "  " + error.field() + ": " + message);
        }
        if (Integer.valueOf(401).equals(problem.status())) {
            lines.add("Pass a token with --token, the REPRISE_TOKEN environment variable, or token= in the config file.");
        }
        return String.join("\n", lines);
    }
}
