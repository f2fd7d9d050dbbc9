package dev.reprise.cli;

import dev.reprise.cli.client.ServerProblemException;
import dev.reprise.cli.client.ServerUnreachableException;
import dev.reprise.cli.client.UnexpectedResponseException;
import dev.reprise.cli.command.SweepFileException;
import dev.reprise.cli.data.DataInputException;
import dev.reprise.cli.data.DataTransferException;
import dev.reprise.cli.data.DataVerificationException;
import dev.reprise.cli.config.InvalidConfigException;
import dev.reprise.cli.render.ProblemPrinter;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** The one place where a failed command becomes a message on stderr and an exit code. */
final class FailureHandler implements IExecutionExceptionHandler {
    static final String UNREACHABLE_HINT = "Is the orchestrator running? Choose the server with --server URL, "
            + "the REPRISE_SERVER environment variable, or server= in the config file.";

    @Override
    public int handleExecutionException(Exception failure, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        try {
            return report(failure, err);
        } finally {
            err.flush();
        }
    }

    private static int report(Exception failure, PrintWriter err) {
        if (failure instanceof ServerProblemException problem) {
            err.print(ProblemPrinter.format(problem.problem()) + "\n");
            return ExitCodes.SERVER_ERROR;
        }
        if (failure instanceof UnexpectedResponseException) {
            err.print(failure.getMessage() + "\n");
            return ExitCodes.SERVER_ERROR;
        }
        if (failure instanceof ServerUnreachableException) {
            err.print(failure.getMessage() + "\n" + UNREACHABLE_HINT + "\n");
            return ExitCodes.UNREACHABLE;
        }
        if (failure instanceof DataVerificationException) {
            err.print("The snapshot's data does not verify: " + failure.getMessage() + "\n");
            return ExitCodes.DATA_ERROR;
        }
        if (failure instanceof DataTransferException transfer) {
            err.print(failure.getMessage() + "\n");
            return transfer.exitCode();
        }
        if (failure instanceof SweepFileException || failure instanceof InvalidConfigException
                || failure instanceof DataInputException) {
            err.print(failure.getMessage() + "\n");
            return ExitCodes.USAGE;
        }
        err.print("Unexpected error in reprise: " + failure + "\n");
        failure.printStackTrace(err);
        return ExitCodes.SERVER_ERROR;
    }
}
