package dev.reprise.orchestrator.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.api.messages.RunEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IngestBatchTest {

    @Test
    void shardsByRunSoThatEachRunIsInExactlyOneShardAndNothingIsLost() {
        List<IngestBatch.Point> points = new ArrayList<>();
        List<IngestBatch.LogLine> lines = new ArrayList<>();
        List<RunEvent.Heartbeat> heartbeats = new ArrayList<>();
        for (long run = 100; run < 140; run++) {
            points.add(new IngestBatch.Point(run, 0, "loss", 1, 1, 1, 0.5, false));
            points.add(new IngestBatch.Point(run, 0, "acc", 1, 2, 1, 0.5, false));
            lines.add(new IngestBatch.LogLine(run, 0, 1, 0, 3, "x"));
            heartbeats.add(new RunEvent.Heartbeat(run, 0, 4, 1, null, 0, 0, 1, List.of()));
        }
        IngestBatch batch = new IngestBatch(points, lines, List.of(), heartbeats, List.of(), List.of());

        List<IngestBatch> shards = batch.shard(3);

        assertThat(shards).hasSize(3);
        assertThat(shards.stream().mapToInt(s -> s.points().size()).sum()).isEqualTo(points.size());
        assertThat(shards.stream().mapToInt(s -> s.logLines().size()).sum()).isEqualTo(lines.size());
        Set<Long> seen = new HashSet<>();
        for (IngestBatch shard : shards) {
            Set<Long> runs = new HashSet<>();
            shard.points().forEach(p -> runs.add(p.runId()));
            shard.logLines().forEach(l -> assertThat(runs).contains(l.runId()));
            shard.heartbeats().forEach(h -> assertThat(runs).contains(h.runId()));
            assertThat(seen).doesNotContainAnyElementsOf(runs);
            seen.addAll(runs);
        }
    }

    @Test
    void leavesOutEmptyShardsAndKeepsASingleShardWhole() {
        IngestBatch one = new IngestBatch(List.of(), List.of(new IngestBatch.LogLine(7, 0, 2, 0, 0, "x")),
                List.of(), List.of(), List.of(), List.of());
        assertThat(one.shard(4)).containsExactly(one);
        assertThat(one.shard(1)).containsExactly(one);
        assertThat(new IngestBatch(List.of(), List.of(), List.of(), List.of(), List.of(), List.of()).shard(2))
                .isEmpty();
    }
}
