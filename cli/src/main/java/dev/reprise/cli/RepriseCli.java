package dev.reprise.cli;

import dev.reprise.cli.command.ArtifactsCommand;
import dev.reprise.cli.command.CancelCommand;
import dev.reprise.cli.command.CommandContext;
import dev.reprise.cli.command.DataCommand;
import dev.reprise.cli.command.TokenCommand;
import dev.reprise.cli.command.GlobalOptions;
import dev.reprise.cli.command.LogsCommand;
import dev.reprise.cli.command.ProvenanceCommand;
import dev.reprise.cli.command.ReproCommands;
import dev.reprise.cli.command.MetricsCommand;
import dev.reprise.cli.command.QueuesCommand;
import dev.reprise.cli.command.RunCommand;
import dev.reprise.cli.command.RunsCommand;
import dev.reprise.cli.command.SubmitCommand;
import dev.reprise.cli.command.SweepCommand;
import dev.reprise.cli.command.SweepControlCommands;
import dev.reprise.cli.command.SweepsCommand;
import dev.reprise.cli.command.VersionCommand;
import dev.reprise.cli.command.VersionInfo;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code reprise} command. {@link #execute} runs it in-process against the given streams and environment and
 * returns the exit code; only {@link #main} exits the JVM.
 */
@Command(name = "reprise",
        description = "Submit and inspect Reprise training sweeps.",
        synopsisSubcommandLabel = "COMMAND",
        versionProvider = VersionInfo.class,
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:the server answered with an error",
            "2:usage error: bad option or value, unreadable sweep file, invalid server URL",
            "3:the server cannot be reached",
            "4:pulled data did not verify against its snapshot (missing or corrupt blob)",
            "5:compare: the runs diverged"},
        footerHeading = "%n",
        footer = "Config file: $${XDG_CONFIG_HOME:-~/.config}/reprise/config with server= and token= lines.")
public final class RepriseCli implements Callable<Integer> {

    @Mixin
    private GlobalOptions options = new GlobalOptions();

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    private boolean versionRequested;

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(execute(args, out, err, System.getenv()));
    }

    /**
     * Runs {@code reprise args...} in this JVM.
     *
     * @param args the command line, without the program name
     * @param out where results go (stdout)
     * @param err where errors and usage go (stderr)
     * @param env the environment: {@code REPRISE_SERVER}, {@code REPRISE_TOKEN}, {@code XDG_CONFIG_HOME}, {@code HOME}
     * @return the exit code, see {@link ExitCodes}
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        try {
            return commandLine(out, err, env).execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> env) {
        RepriseCli root = new RepriseCli();
        CommandContext context = new CommandContext(root.options, env, out);
        return new CommandLine(root)
                .addSubcommand(new SubmitCommand(context))
                .addSubcommand(new SweepsCommand(context))
                .addSubcommand(new SweepCommand(context))
                .addSubcommand(new RunsCommand(context))
                .addSubcommand(new RunCommand(context))
                .addSubcommand(new ProvenanceCommand(context))
                .addSubcommand(new ReproCommands.Rerun(context))
                .addSubcommand(new ReproCommands.Compare(context))
                .addSubcommand(new ReproCommands.Clone(context))
                .addSubcommand(ArtifactsCommand.create(context))
                .addSubcommand(new CancelCommand(context))
                .addSubcommand(new SweepControlCommands.Pause(context))
                .addSubcommand(new SweepControlCommands.Resume(context))
                .addSubcommand(new SweepControlCommands.Extend(context))
                .addSubcommand(new SweepControlCommands.Retry(context))
                .addSubcommand(new MetricsCommand(context))
                .addSubcommand(new LogsCommand(context))
                .addSubcommand(DataCommand.create(context))
                .addSubcommand(new QueuesCommand(context))
                .addSubcommand(new dev.reprise.cli.command.UsageCommand(context))
                .addSubcommand(TokenCommand.create(context))
                .addSubcommand(dev.reprise.cli.command.SecretCommand.create(context))
                .addSubcommand(dev.reprise.cli.command.WebhookCommand.create(context))
                .addSubcommand(new VersionCommand(context))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setUsageHelpAutoWidth(true)
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler(new UsageErrorHandler())
                .setExecutionExceptionHandler(new FailureHandler());
    }

    /** {@code reprise} without a command prints the usage and fails as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
