package dev.reprise.cli.command;

import static dev.reprise.cli.Reprise.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.cli.Reprise;
import dev.reprise.cli.Reprise.Result;
import dev.reprise.cli.ScriptedServerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CancelCommandTest extends ScriptedServerTest {

    @BeforeEach
    void environment() {
        server.replyJson("POST", "/api/v1/sweeps/12/cancel", 200, fixture("responses/sweep-cancelled.json"));
    }

    @Test
    void postsToTheCancelEndpointWithAnEmptyBody() {
        Reprise.run(env, "cancel", "12");

        assertThat(server.onlyRequest().method()).isEqualTo("POST");
        assertThat(server.onlyRequest().path()).isEqualTo("/api/v1/sweeps/12/cancel");
        assertThat(server.onlyRequest().body()).isEmpty();
        assertThat(server.onlyRequest().header("Content-Type")).isEmpty();
    }

    @Test
    void printsTheSweepsNewStatus() {
        Result result = Reprise.run(env, "cancel", "12");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("Cancelled sweep 12 (digits-grid): status CANCELLED\n");
    }

    @Test
    void printsTheConflictWhenTheSweepHasAlreadyFinishedAndExitsOne() {
        server.replyProblem("POST", "/api/v1/sweeps/12/cancel", 409,
                "{\"title\":\"Sweep already finished\",\"status\":409,\"detail\":\"Sweep 12 is SUCCEEDED\"}");

        Result result = Reprise.run(env, "cancel", "12");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error 409 Sweep already finished: Sweep 12 is SUCCEEDED\n");
    }

    @Test
    void succeedsQuietlyWhenTheServerAcceptsWithoutABody() {
        server.reply("POST", "/api/v1/sweeps/12/cancel", 204, "application/json", "");

        Result result = Reprise.run(env, "cancel", "12");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEmpty();
    }
}
