package dev.reprise.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Which rank an agent placed by its executor (the local executor: no rendezvous) reports under. */
class PlacedRankTest {

    @Test
    void aRankOfADistributedTrialIsTheNodeRankItWasGiven() {
        assertThat(AgentMain.placedRank(Map.of("REPRISE_NNODES", "2", "REPRISE_NODE_RANK", "1")))
                .isEqualTo(OptionalInt.of(1));
        assertThat(AgentMain.placedRank(Map.of("REPRISE_NNODES", "4", "REPRISE_NODE_RANK", "0")))
                .isEqualTo(OptionalInt.of(0));
    }

    @Test
    void anOrdinaryTrialOrANonsensicalRankHasNone() {
        assertThat(AgentMain.placedRank(Map.of())).isEmpty();
        assertThat(AgentMain.placedRank(Map.of("REPRISE_NNODES", "1", "REPRISE_NODE_RANK", "0"))).isEmpty();
        assertThat(AgentMain.placedRank(Map.of("REPRISE_NNODES", "2"))).as("left to the rendezvous").isEmpty();
        assertThat(AgentMain.placedRank(Map.of("REPRISE_NNODES", "2", "REPRISE_NODE_RANK", "2"))).isEmpty();
        assertThat(AgentMain.placedRank(Map.of("REPRISE_NNODES", "two", "REPRISE_NODE_RANK", "1"))).isEmpty();
    }
}
