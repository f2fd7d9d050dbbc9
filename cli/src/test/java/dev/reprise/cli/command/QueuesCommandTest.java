package dev.reprise.cli.command;

import static dev.reprise.cli.Reprise.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.cli.Reprise;
import dev.reprise.cli.Reprise.Result;
import dev.reprise.cli.ScriptedServerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QueuesCommandTest extends ScriptedServerTest {

    @BeforeEach
    void environment() {
        server.replyJson("GET", "/api/v1/queues", 200, fixture("responses/queues.json"));
    }

    @Test
    void showsEachQueuesUseAgainstItsLimits() {
        Result result = Reprise.run(env, "queues");

        assertThat(server.onlyRequest().path()).isEqualTo("/api/v1/queues");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("""
                QUEUE      RUNNING   MAX RUNNING   GPUS IN USE   GPU QUOTA   QUEUED
                default          3   20                      0   unlimited       12
                gpu-h100         4   unlimited               8   8                2
                """);
    }

    @Test
    void printsTheServersJsonWithOutputJson() {
        Result result = Reprise.run(env, "queues", "-o", "json");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("\"priorityClassName\": \"ml-training\"");
    }
}
