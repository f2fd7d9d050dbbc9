package dev.reprise.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged behaviour a container sees: a real agent JVM, real signals, real exit codes. */
class AgentProcessTest {

    @TempDir
    Path dir;

    @Test
    void forwardsSigtermToTheCommandAndExitsWithItsCode() throws Exception {
        AgentProcess agent = AgentProcess.start(dir, "--run-id", "11", "--", "sh", "-c",
                "trap 'echo saving checkpoint; exit 143' TERM; echo ready; while :; do sleep 0.05; done");
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.stdout().contains("ready"));

        agent.sigterm();

        assertThat(agent.waitFor(Duration.ofSeconds(20))).isEqualTo(143);
        assertThat(agent.stdout()).isEqualTo("ready\nsaving checkpoint\n");
        assertThat(agent.stderr()).contains("run 11 attempt 0: TERMINATED (exit 143)");
    }

    @Test
    void killsACommandThatIgnoresSigtermAfterTheGracePeriod() throws Exception {
        AgentProcess agent = AgentProcess.start(dir, "--run-id", "12", "--grace-period", "500ms", "--", "sh", "-c",
                "trap '' TERM; echo ready; while :; do sleep 0.05; done");
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.stdout().contains("ready"));

        agent.sigterm();

        assertThat(agent.waitFor(Duration.ofSeconds(20))).isEqualTo(137);
        assertThat(agent.stderr()).contains("KILLED (exit 137)");
    }

    @Test
    void exitsPromptlyWithTheCommandsCodeWhenNoBrokerIsReachable() throws Exception {
        String bootstrap = "127.0.0.1:" + unusedPort();
        AgentProcess agent = AgentProcess.start(dir, "--run-id", "13", "--kafka-bootstrap", bootstrap,
                "--flush-timeout", "5s", "--heartbeat-interval", "200ms", "--", "sh", "-c",
                "i=0; while [ $i -lt 3000 ]; do echo \"step=$i loss=0.5 acc=0.25\"; i=$((i+1)); done; exit 3");

        int code = agent.waitFor(Duration.ofSeconds(30));

        assertThat(code).isEqualTo(3);
        assertThat(agent.stdout().lines().count()).isEqualTo(3000);
        assertThat(agent.stdout()).endsWith("step=2999 loss=0.5 acc=0.25\n");
        assertThat(agent.elapsed()).isLessThan(Duration.ofSeconds(20));
        assertThat(agent.stderr()).doesNotContain("NetworkClient");
        assertThat(agent.stderr()).contains("cannot deliver to Kafka at " + bootstrap)
                .contains("FAILED (exit 3), 6000 metric point(s); not all reports were delivered within 5 s");
    }

    @Test
    void runsWithoutReportingWhenNoBootstrapIsConfigured() throws Exception {
        AgentProcess agent = AgentProcess.start(dir, "--run-id", "14", "--", "sh", "-c", "echo loss=1");

        assertThat(agent.waitFor(Duration.ofSeconds(20))).isZero();
        assertThat(agent.stdout()).isEqualTo("loss=1\n");
        assertThat(agent.stderr()).contains("no Kafka bootstrap").contains("COMPLETED (exit 0), 1 metric point(s)");
    }

    @Test
    void exits127WithAMessageWhenTheCommandDoesNotExist() throws Exception {
        AgentProcess agent = AgentProcess.start(dir, "--run-id", "15", "--", "reprise-no-such-command");

        assertThat(agent.waitFor(Duration.ofSeconds(20))).isEqualTo(127);
        assertThat(agent.stderr()).contains("cannot run 'reprise-no-such-command': command not found")
                .contains("AGENT_ERROR (exit 127)");
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
