package dev.reprise.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DistributedEnvTest {

    @Test
    void eachNodeRunsOneProcessSoWorldSizeIsTheNodeCountAndRankIsTheNodeRank() {
        assertThat(DistributedEnv.forRank(4, 2, "10.0.0.7", 29500)).containsExactlyInAnyOrderEntriesOf(
                java.util.Map.of("MASTER_ADDR", "10.0.0.7", "MASTER_PORT", "29500", "WORLD_SIZE", "4", "RANK", "2",
                        "LOCAL_RANK", "0", "NNODES", "4", "NODE_RANK", "2", "REPRISE_NNODES", "4",
                        "REPRISE_NODE_RANK", "2"));
    }

    @Test
    void aRankOutsideTheTrialIsAProgrammingError() {
        assertThatThrownBy(() -> DistributedEnv.forRank(2, 2, "127.0.0.1", 1)).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> new TrialLaunch.TrialResources(null, null, 0, null, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onASharedNodeNetworkEachAttemptGetsItsOwnMasterPortTheSameForEveryRank() {
        assertThat(DistributedEnv.sharedNetworkPort(1001, 0)).isEqualTo(DistributedEnv.sharedNetworkPort(1001, 0));
        java.util.Set<Integer> ports = new java.util.HashSet<>();
        // attempts of runs whose ids are close (trials of one sweep run side by side) never share a port
        for (long run = 5_000; run < 5_062; run++) {
            for (int attempt = 0; attempt < 16; attempt++) {
                int port = DistributedEnv.sharedNetworkPort(run, attempt);
                assertThat(port).isBetween(29500, 30499);
                assertThat(ports.add(port)).as("run %d attempt %d: port %d taken", run, attempt, port).isTrue();
            }
        }
    }
}
