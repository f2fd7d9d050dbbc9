package dev.reprise.cli.command;

import static dev.reprise.cli.Reprise.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.cli.Reprise;
import dev.reprise.cli.Reprise.Result;
import dev.reprise.cli.ScriptedServerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RunCommandTest extends ScriptedServerTest {

    @BeforeEach
    void environment() {
        server.replyJson("GET", "/api/v1/runs/345", 200, fixture("responses/run.json"));
    }

    @Test
    void getsTheRunById() {
        Reprise.run(env, "run", "345");

        assertThat(server.onlyRequest().method()).isEqualTo("GET");
        assertThat(server.onlyRequest().path()).isEqualTo("/api/v1/runs/345");
        assertThat(server.onlyRequest().rawQuery()).isNull();
    }

    @Test
    void showsEachFieldAsAlignedKeyValueLinesWithProvenanceAndParametersLast() {
        Result result = Reprise.run(env, "run", "345");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("""
                ID:               345
                Sweep:            12
                Index:            0
                State:            SUCCEEDED
                Attempt:          0
                Created:          2026-11-26T18:00:00Z
                Started:          2026-11-26T18:01:00Z
                Finished:         2026-11-26T18:02:05Z
                Duration:         1m05s
                Exit code:        0
                Stop reason:      -
                Failure cause:    -
                Message:          -
                queueWaitSeconds: 12
                Provenance:
                  imageRef:   ghcr.io/reprise/train:1.2
                  configHash: c0ffee
                  gitCommit:  abc123
                  gitDirty:   false
                  seed:       7
                  nodeName:   gpu-node-3
                Parameters:
                  lr:         0.0001
                  batch_size: 32
                  layers:     [64,64]
                """);
    }

    @Test
    void explainsAnEarlyStopWithTheRuleTheStepTheCutOffAndTheRank() {
        server.replyJson("GET", "/api/v1/runs/346", 200, fixture("responses/run-stopped-early.json"));

        Result result = Reprise.run(env, "run", "346");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Early stop:    hyperband at step 2: 0.1 against the cut-off 0.8333 "
                + "(maximize), rank 4 of 4\n").doesNotContain("earlyStop");
    }

    @Test
    void listsADistributedTrialsRanksWithStateExitCodeHostAndLastHeartbeat() {
        server.replyJson("GET", "/api/v1/runs/347", 200, fixture("responses/run-distributed.json"));

        Result result = Reprise.run(env, "run", "347");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("Ranks:\n"
                + "  rank 0: EXITED 143 (TERMINATED) on trial-347-0-abcde, last heartbeat 2026-12-07T20:01:04Z, "
                + "2 x NVIDIA H100 80GB HBM3\n"
                + "  rank 1: EXITED 3 (FAILED) on trial-347-0-fghij, last heartbeat 2026-12-07T20:01:02Z\n")
                .doesNotContain("ranks:");
        assertThat(result.out().indexOf("Ranks:")).isLessThan(result.out().indexOf("Parameters:"));
    }

    @Test
    void printsTheRunJsonWithFieldsTheCliDoesNotKnowAndExactNumbers() {
        Result result = Reprise.run(env, "run", "345", "--output", "json");

        assertThat(result.out())
                .contains("\"lr\": 0.0001,")
                .contains("\"queueWaitSeconds\": 12")
                .contains("\"stopReason\": null");
    }

    @Test
    void printsNotFoundAndExitsOneForAnUnknownRun() {
        server.replyProblem("GET", "/api/v1/runs/999", 404, fixture("responses/problem-not-found.json"));

        Result result = Reprise.run(env, "run", "999");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error 404 Not Found: No run with id 999\n");
    }
}
