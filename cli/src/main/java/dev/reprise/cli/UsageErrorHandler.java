package dev.reprise.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** A wrong command line: the reason, a "did you mean" when picocli has one, and where to find help; exit 2. */
final class UsageErrorHandler implements IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException problem, String[] args) {
        CommandLine command = problem.getCommandLine();
        PrintWriter err = command.getErr();
        err.print(problem.getMessage() + "\n");
        UnmatchedArgumentException.printSuggestions(problem, err);
        err.print("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.\n");
        err.flush();
        return ExitCodes.USAGE;
    }
}
