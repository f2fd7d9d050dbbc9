package dev.reprise.cli.command;

import static dev.reprise.cli.Reprise.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.cli.Reprise;
import dev.reprise.cli.Reprise.Result;
import dev.reprise.cli.ScriptedServerTest;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunsCommandTest extends ScriptedServerTest {

    @BeforeEach
    void environment() {
        server.replyJson("GET", "/api/v1/sweeps/12/runs", 200, fixture("responses/runs-page.json"));
    }

    @Test
    void requestsTheRunsOfTheSweepSortedByIndexByDefault() {
        Result result = Reprise.run(env, "runs", "12");

        assertThat(result.exitCode()).isZero();
        assertThat(server.onlyRequest().method()).isEqualTo("GET");
        assertThat(server.onlyRequest().path()).isEqualTo("/api/v1/sweeps/12/runs");
        assertThat(server.onlyRequest().rawQuery()).isEqualTo("page=0&size=50&sort=index");
    }

    @ParameterizedTest
    @ValueSource(strings = {"index", "-index", "state", "-state", "created", "-created"})
    void passesEachSortKeyIncludingDescendingOnes(String key) {
        Reprise.run(env, "runs", "12", "--sort", key, "--page", "1", "--size", "20");

        assertThat(server.onlyRequest().query())
                .containsExactlyInAnyOrderEntriesOf(Map.of("page", "1", "size", "20", "sort", key));
    }

    @Test
    void rejectsAnUnknownSortKeyAndListsTheValidOnes() {
        Result result = Reprise.run(env, "runs", "12", "--sort", "name");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("'name'", "index, -index, state, -state, created, -created");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void rejectsASweepIdThatIsNotANumber() {
        Result result = Reprise.run(env, "runs", "digits-grid");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("SWEEP_ID").contains("digits-grid");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void showsOneColumnPerParameterInTheOrderFirstSeen() {
        List<String> lines = Reprise.run(env, "runs", "12").out().lines().toList();

        assertThat(lines).hasSize(4);
        String header = lines.get(0);
        assertThat(Stream.of("INDEX", "STATE", "ATTEMPT", "lr", "batch_size", "optimizer", "EXIT", "DURATION")
                .map(header::indexOf).toList())
                .doesNotContain(-1)
                .isSorted();
        int optimizer = lines.get(0).indexOf("optimizer");
        assertThat(lines.get(1).substring(optimizer)).startsWith("-");
        assertThat(lines.get(3).substring(optimizer)).startsWith("adam");
    }

    @Test
    void printsParameterValuesExactlyAsTheServerSentThem() {
        String out = Reprise.run(env, "runs", "12").out();

        assertThat(out).contains(" 0.0001 ", " 0.01 ", " 0.1 ").doesNotContain("E-4");
    }

    @Test
    void showsDurationExitCodeAndAStopReasonOnOneLine() {
        List<String> lines = Reprise.run(env, "runs", "12").out().lines().toList();

        assertThat(lines.get(1)).contains("SUCCEEDED").contains("1m05s");
        assertThat(lines.get(2)).contains("FAILED").contains("137").contains("1h02m04s").endsWith("OOMKilled on node gpu-3");
        assertThat(lines.get(3)).contains("QUEUED").endsWith("-");
    }

    @Test
    void printsTheServersProblemWhenTheSweepDoesNotExistAndExitsOne() {
        server.replyProblem("GET", "/api/v1/sweeps/99/runs", 404,
                "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"No sweep with id 99\"}");

        Result result = Reprise.run(env, "runs", "99");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("Error 404 Not Found: No sweep with id 99\n");
    }
}
