package dev.reprise.orchestrator.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.api.messages.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class LostRunCheckTest {

    @Test
    void computesTheSamePartitionAsTheAgentsProducer() {
        for (long run = 1; run < 5000; run += 37) {
            for (int partitions : new int[] {1, 3, 12, 64}) {
                byte[] key = Topics.key(run).getBytes(StandardCharsets.UTF_8);
                assertThat(LostRunCheck.partition(run, partitions))
                        .isEqualTo(BuiltInPartitioner.partitionForKey(key, partitions));
            }
        }
    }
}
