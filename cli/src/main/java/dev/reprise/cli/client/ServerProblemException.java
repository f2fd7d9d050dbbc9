package dev.reprise.cli.client;

/** The server answered with an error status; the problem says what went wrong. */
public final class ServerProblemException extends RuntimeException {
    private final transient Problem problem;

    public ServerProblemException(Problem problem) {
        super("HTTP " + problem.status() + " " + problem.title());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
