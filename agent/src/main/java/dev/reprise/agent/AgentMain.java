package dev.reprise.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Properties;

/** Entry point of {@code reprise-agent}. */
public final class AgentMain {

    private AgentMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("version"))) {
            out.println("reprise-agent " + version());
            return 0;
        }
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println(usage());
            return 0;
        }
        err.println(usage());
        return 2;
    }

    static String usage() {
        return String.join(System.lineSeparator(),
                "Usage: reprise-agent run --run-id ID [options] -- COMMAND [ARGS...]",
                "       reprise-agent --version",
                "",
                "Runs COMMAND as a child process, passes its output through unchanged,",
                "captures its metrics and reports them to the Reprise orchestrator over Kafka.");
    }

    static String version() {
        try (InputStream in = AgentMain.class.getResourceAsStream("/reprise-agent.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
