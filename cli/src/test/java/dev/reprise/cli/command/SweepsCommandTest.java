package dev.reprise.cli.command;

import static dev.reprise.cli.Reprise.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reprise.cli.Reprise;
import dev.reprise.cli.Reprise.Result;
import dev.reprise.cli.ScriptedServerTest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SweepsCommandTest extends ScriptedServerTest {

    @BeforeEach
    void environment() {
        server.replyJson("GET", "/api/v1/sweeps", 200, fixture("responses/sweeps-page.json"));
    }

    @Test
    void requestsTheFirstPageOfFiftyWhenNoOptionsAreGiven() {
        Reprise.run(env, "sweeps");

        assertThat(server.onlyRequest().method()).isEqualTo("GET");
        assertThat(server.onlyRequest().path()).isEqualTo("/api/v1/sweeps");
        assertThat(server.onlyRequest().rawQuery()).isEqualTo("page=0&size=50");
    }

    @Test
    void passesProjectStatusPageAndSizeAsQueryParameters() {
        Reprise.run(env, "sweeps", "--project", "vision & co", "--status", "running", "--page", "2", "--size", "10");

        assertThat(server.onlyRequest().rawQuery()).isEqualTo("project=vision%20%26%20co&status=RUNNING&page=2&size=10");
        assertThat(server.onlyRequest().query())
                .containsEntry("project", "vision & co")
                .containsEntry("status", "RUNNING");
    }

    @Test
    void rendersOneAlignedRowPerSweep() {
        Result result = Reprise.run(env, "sweeps");

        assertThat(result.exitCode()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines.get(0)).startsWith("ID   NAME").contains("STATUS", "METHOD", "METRIC", "RUN STATES", "CREATED");
        assertThat(lines.get(1)).startsWith("12   digits-grid")
                .contains("RUNNING", "grid", "max val_acc", "10 queued, 2 running", "2026-11-26T18:00:00Z");
        assertThat(lines.get(2)).startsWith("13   cifar10").contains("SUCCEEDED", "random", "38 succeeded, 2 failed");
        assertThat(List.of(lines.get(1).indexOf("RUNNING"), lines.get(2).indexOf("SUCCEEDED")))
                .containsOnly(lines.get(0).indexOf("STATUS"));
        assertThat(List.of(lines.get(1).indexOf("2026-11-26"), lines.get(2).indexOf("2026-11-27")))
                .containsOnly(lines.get(0).indexOf("CREATED"));
    }

    @Test
    void cutsVeryLongNamesWithAnEllipsis() {
        Result result = Reprise.run(env, "sweeps");

        assertThat(result.out()).contains("cifar10-resnet-random-search-with-a-nam… ")
                .doesNotContain("longer-than-any-column");
    }

    @Test
    void saysWhereThePageSitsWhenMoreSweepsRemain() {
        Result result = Reprise.run(env, "sweeps", "--size", "2");

        assertThat(result.out().lines().reduce((first, second) -> second))
                .contains("Showing 1-2 of 5 sweeps. Next page: --page 1");
    }

    @Test
    void saysSoWhenNoSweepsMatch() {
        server.replyJson("GET", "/api/v1/sweeps", 200, "{\"items\":[],\"page\":0,\"size\":50,\"total\":0}");

        Result result = Reprise.run(env, "sweeps", "--status", "FAILED");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("No sweeps found.\n");
    }

    @Test
    void printsThePageJsonPrettyPrintedWithJsonOutput() throws Exception {
        Result result = Reprise.run(env, "sweeps", "-o", "json");

        ObjectMapper mapper = new ObjectMapper();
        assertThat(mapper.readTree(result.out())).isEqualTo(mapper.readTree(fixture("responses/sweeps-page.json")));
        assertThat(result.out()).contains("\"someFutureField\": true");
    }

    @Test
    void rejectsANegativePageAsUsageErrorWithoutARequest() {
        Result result = Reprise.run(env, "sweeps", "--page", "-1");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("--page must be 0 or more, not -1\n");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void rejectsAPageSizeBelowOneAsUsageError() {
        Result result = Reprise.run(env, "sweeps", "--size", "0");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("--size must be 1 or more, not 0\n");
    }
}
