package dev.reprise.cli.command;

import static dev.reprise.cli.Reprise.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.cli.Reprise;
import dev.reprise.cli.Reprise.Result;
import dev.reprise.cli.ScriptedServerTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UsageCommandTest extends ScriptedServerTest {

    @BeforeEach
    void environment() {
        server.replyJson("GET", "/api/v1/usage", 200, fixture("responses/usage.json"));
    }

    @Test
    void showsGpuHoursPerGroupWithPreemptedAndFailedApartAndTheTotal() {
        Result result = Reprise.run(env, "usage", "--group-by", "queue", "--from", "2026-12-01");

        assertThat(server.onlyRequest().path()).isEqualTo("/api/v1/usage");
        assertThat(server.onlyRequest().query()).isEqualTo(Map.of("from", "2026-12-01", "groupBy", "queue"));
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("""
                QUEUE      ATTEMPTS   GPU-HOURS   PREEMPTED   FAILED   CPU-HOURS   ENERGY (kWh)
                gpu-h100         10       24.00        1.00     0.00       96.00         12.000
                default           4        1.00        0.00     0.50        4.00          0.500
                TOTAL            14       25.00        1.00     0.50      100.00         12.500
                """);
    }

    @Test
    void groupsByProjectUnlessToldOtherwise() {
        Reprise.run(env, "usage", "--project", "vision");

        assertThat(server.onlyRequest().query()).isEqualTo(Map.of("project", "vision", "groupBy", "project"));
    }
}
