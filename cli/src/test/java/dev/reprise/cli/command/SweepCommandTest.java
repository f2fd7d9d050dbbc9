package dev.reprise.cli.command;

import static dev.reprise.cli.Reprise.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.cli.Reprise;
import dev.reprise.cli.Reprise.Result;
import dev.reprise.cli.ScriptedServerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SweepCommandTest extends ScriptedServerTest {

    @BeforeEach
    void environment() {
        server.replyJson("GET", "/api/v1/sweeps/12", 200, fixture("responses/sweep.json"));
    }

    @Test
    void showsTheSweepWithItsMetricRunStatesBestRunAndUnknownFieldsButNotItsSpec() {
        Result result = Reprise.run(env, "sweep", "12");

        assertThat(server.onlyRequest().path()).isEqualTo("/api/v1/sweeps/12");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("""
                ID:                12
                Name:              digits-grid
                Project:           default
                Status:            RUNNING
                Method:            grid
                Metric:            max val_acc
                Max trials:        12
                Parallelism:       2
                Max failed trials: -
                Seed:              7
                Queue:             default
                Priority:          0
                Spec hash:         3f6c0a1e9b
                Created:           2026-11-26T18:00:00Z
                Created by:        anonymous
                Updated:           2026-11-26T18:05:00Z
                Finished:          -
                Runs:              12 (9 queued, 2 running, 1 stopped early)
                Best run:          run 42 (#3): val_acc = 0.9712 with lr=0.01, hidden=64
                labels:
                  team: vision
                """);
    }
}
