package dev.reprise.orchestrator.messaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A training-like Python program: plain log lines, JSON metric lines and key=value metric lines on stdout, progress
 * on stderr. It writes every metric it prints to a side file ("key step value"), so a test can compare what was
 * printed with what was stored. SIGTERM makes it finish the current step and exit 143.
 */
final class TrainingScript {

    private static final String SOURCE = """
            import json, random, signal, sys, time
            steps, code, delay, expected = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
            stop = []
            signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
            rnd = random.Random(7)
            print("INFO loading data", flush=True)
            with open(expected, "w") as out:
                s = 0
                while (steps < 0 or s < steps) and not stop:
                    loss, acc = rnd.random() * 10 ** rnd.randint(-6, 3), rnd.random()
                    out.write(f"loss {s} {loss!r}\\nacc {s} {acc!r}\\n")
                    out.flush()
                    if s % 2 == 0:
                        print(json.dumps({"step": s, "loss": loss, "acc": acc}))
                    else:
                        print(f"step={s} loss={loss!r} acc={acc!r}")
                    if s % 25 == 0:
                        print(f"progress {s}", file=sys.stderr)
                    s += 1
                    if delay:
                        time.sleep(delay)
            print("INFO done", flush=True)
            sys.exit(143 if stop else code)
            """;

    private final Path script;
    private final Path expected;

    TrainingScript(Path dir) {
        this.script = dir.resolve("train.py");
        this.expected = dir.resolve("printed.txt");
        try {
            Files.writeString(script, SOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command line: {@code steps} steps (-1: until SIGTERM), then exit with {@code exitCode}. */
    List<String> command(int steps, int exitCode, double delaySeconds) {
        return List.of("python3", script.toString(), Integer.toString(steps), Integer.toString(exitCode),
                Double.toString(delaySeconds), expected.toString());
    }

    /** One printed metric. */
    record Printed(String key, long step, double value) {
    }

    /** Every metric the script printed, from its side file. */
    Set<Printed> printed() {
        try {
            Set<Printed> out = new HashSet<>();
            for (String line : Files.readAllLines(expected)) {
                String[] f = line.split(" ");
                out.add(new Printed(f[0], Long.parseLong(f[1]), Double.parseDouble(f[2])));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long printedLines() {
        try (var lines = Files.lines(expected)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
