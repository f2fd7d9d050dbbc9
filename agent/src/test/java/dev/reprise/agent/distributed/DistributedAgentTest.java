package dev.reprise.agent.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as one rank of a distributed trial on Kubernetes (ADR 0008), run as a real JVM: it waits at the
 * rendezvous and starts the command only once every rank is up, with its rank and rank 0's address; stopped or
 * refused there, it exits without ever starting the command.
 */
class DistributedAgentTest {

    @TempDir
    Path dir;

    private Map<String, String> rankEnv(TestingRendezvousServer server, String pod, String ip) {
        return Map.of("REPRISE_RENDEZVOUS_URL", server.url(), "REPRISE_NNODES", "2", "REPRISE_POD_NAME", pod,
                "REPRISE_POD_IP", ip, "REPRISE_NODE_NAME", "node-" + pod, "REPRISE_RUN_TOKEN", "rt-secret",
                "WORLD_SIZE", "2", "MASTER_PORT", "29500");
    }

    private String[] command(Path marker) {
        return new String[] {"--run-id", "7", "--", "sh", "-c",
            "echo \"addr=$MASTER_ADDR rank=$RANK node_rank=$NODE_RANK world=$WORLD_SIZE reprise=$REPRISE_NODE_RANK\""
                    + " > " + marker};
    }

    @Test
    void aRankStartsItsCommandOnlyOnceEveryRankIsUpWithItsRankAndRankZerosAddress() throws Exception {
        try (TestingRendezvousServer server = new TestingRendezvousServer(2)) {
            Path marker = dir.resolve("started");
            var agent = dev.reprise.agent.AgentProcessAccess.start(dir, rankEnv(server, "trial-b", "10.2.0.8"),
                    command(marker));
            await().atMost(Duration.ofSeconds(60)).until(() -> server.registered("trial-b"));
            // rank 1 has registered and is waiting: nothing may have started yet
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                    .until(() -> !Files.exists(marker));

            server.register("trial-a", "10.2.0.5");

            assertThat(agent.waitFor(Duration.ofSeconds(60))).isZero();
            assertThat(Files.readString(marker).strip())
                    .isEqualTo("addr=10.2.0.5 rank=1 node_rank=1 world=2 reprise=1");
            assertThat(server.authorizations).allMatch("Bearer rt-secret"::equals);
            assertThat(agent.stderr()).contains("this is rank 1 of 2, rank 0 at 10.2.0.5:29500");
        }
    }

    @Test
    void aRankStoppedWhileWaitingExitsWithoutStartingTheCommand() throws Exception {
        try (TestingRendezvousServer server = new TestingRendezvousServer(2)) {
            Path marker = dir.resolve("started");
            var agent = dev.reprise.agent.AgentProcessAccess.start(dir, rankEnv(server, "trial-b", "10.2.0.8"),
                    command(marker));
            await().atMost(Duration.ofSeconds(60)).until(() -> server.registered("trial-b"));

            agent.sigterm();

            assertThat(agent.waitFor(Duration.ofSeconds(60))).isEqualTo(143);
            assertThat(marker).doesNotExist();
            assertThat(agent.stderr()).contains("stopped while waiting at the rendezvous");
        }
    }

    @Test
    void aRankTheRendezvousRefusesExits75WithoutStartingTheCommand() throws Exception {
        try (TestingRendezvousServer server = new TestingRendezvousServer(2)) {
            server.refuseEveryone();
            Path marker = dir.resolve("started");
            var agent = dev.reprise.agent.AgentProcessAccess.start(dir, rankEnv(server, "trial-c", "10.2.0.9"),
                    command(marker));

            assertThat(agent.waitFor(Duration.ofSeconds(60))).isEqualTo(RendezvousClient.EXIT_REFUSED);
            assertThat(marker).doesNotExist();
            assertThat(agent.stderr()).contains("rendezvous refused this rank (HTTP 409: run 7 attempt 0 is not "
                    + "running)");
        }
    }
}
