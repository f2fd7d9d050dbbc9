package dev.reprise.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.cli.RepriseCli;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real CLI against the real orchestrator: submit, list, inspect and cancel, plus server errors. */
@QuarkusTest
class CliEndToEndTest {

    @TestHTTPResource("/")
    URL server;

    @TempDir
    Path tmp;

    private record Result(int exit, String out, String err) {
    }

    private Result reprise(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = RepriseCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true),
                Map.of("REPRISE_TOKEN", dev.reprise.orchestrator.security.TestCredentials.ADMIN_TOKEN,
                        "REPRISE_SERVER", server.toString(), "XDG_CONFIG_HOME", tmp.toString(), "HOME",
                        tmp.toString()));
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void submitsAnExampleAndPrintsTheSweepIdAndRunCount() throws Exception {
        Path file = tmp.resolve("grid.yaml");
        Files.writeString(file, Sweeps.renamed(Sweeps.example("digits-grid.yaml")));
        Result submit = reprise("submit", file.toString());
        assertThat(submit.exit()).as(submit.err()).isZero();
        Matcher m = Pattern.compile("Submitted sweep (\\d+) .*12 runs").matcher(submit.out());
        assertThat(m.find()).as(submit.out()).isTrue();
        String id = m.group(1);

        Result runs = reprise("runs", id);
        assertThat(runs.exit()).isZero();
        assertThat(runs.out()).contains("learning_rate").contains("hidden_units").contains("QUEUED");

        Result cancel = reprise("cancel", id);
        assertThat(cancel.exit()).isZero();
        assertThat(cancel.out()).contains("CANCELLED");

        Result sweeps = reprise("sweeps", "--project", "examples", "-o", "json");
        assertThat(sweeps.exit()).isZero();
        assertThat(sweeps.out()).containsPattern("\"id\"\\s*:\\s*" + id + ",");
    }

    @Test
    void printsTheServersFieldErrorsAndExitsNonZero() throws Exception {
        Path file = tmp.resolve("bad.yaml");
        Files.writeString(file, Sweeps.example("invalid/min-greater-than-max.yaml"));
        Result submit = reprise("submit", file.toString());
        assertThat(submit.exit()).isEqualTo(1);
        assertThat(submit.err()).contains("422").contains("parameters.lr.min");
    }
}
