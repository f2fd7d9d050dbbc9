package dev.reprise.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {

    @TempDir
    Path dir;

    @Test
    void spillsToDiskWhenMemoryIsFullAndKeepsFirstInFirstOut() throws Exception {
        Outbox outbox = new Outbox(500, dir.resolve("spill"), 1 << 20);

        for (int i = 0; i < 50; i++) {
            assertThat(outbox.offer(envelope(i))).isTrue();
        }

        assertThat(outbox.spilledTotal()).isPositive();
        assertThat(Files.exists(dir.resolve("spill"))).isTrue();
        assertThat(drain(outbox)).containsExactlyElementsOf(range(50));
        assertThat(outbox.isEmpty()).isTrue();
        assertThat(Files.exists(dir.resolve("spill"))).isFalse();
    }

    @Test
    void sendsRetriedEnvelopesBeforeNewerOnes() throws Exception {
        Outbox outbox = new Outbox(1 << 20, dir.resolve("spill"), 1 << 20);
        outbox.offer(envelope(0));
        outbox.offer(envelope(1));
        Envelope first = outbox.poll(1, TimeUnit.SECONDS);

        outbox.retry(first);

        assertThat(drain(outbox)).containsExactly("0", "1");
    }

    @Test
    void dropsAndCountsWhenSpillFileIsFull() {
        Outbox outbox = new Outbox(100, dir.resolve("spill"), 300);

        long accepted = 0;
        for (int i = 0; i < 100; i++) {
            accepted += outbox.offer(envelope(i)) ? 1 : 0;
        }

        assertThat(outbox.dropped()).isPositive();
        assertThat(accepted + outbox.dropped()).isEqualTo(100);
    }

    @Test
    void becomesIdleOnlyWhenPolledEnvelopesAreDelivered() throws Exception {
        Outbox outbox = new Outbox(1 << 20, dir.resolve("spill"), 1 << 20);
        outbox.offer(envelope(0));
        outbox.poll(1, TimeUnit.SECONDS);

        assertThat(outbox.isEmpty()).isTrue();
        assertThat(outbox.awaitIdle(10, TimeUnit.MILLISECONDS)).isFalse();
        outbox.delivered();
        assertThat(outbox.awaitIdle(10, TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    void goesBackToMemoryAfterTheSpillFileIsDrained() throws Exception {
        Outbox outbox = new Outbox(300, dir.resolve("spill"), 1 << 20);
        for (int i = 0; i < 10; i++) {
            outbox.offer(envelope(i));
        }
        List<String> got = drain(outbox);
        long spilledBefore = outbox.spilledTotal();

        outbox.offer(envelope(10));

        assertThat(got).containsExactlyElementsOf(range(10));
        assertThat(outbox.spilledTotal()).isEqualTo(spilledBefore);
        assertThat(drain(outbox)).containsExactly("10");
    }

    static Envelope envelope(int i) {
        return new Envelope("t", "42", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> drain(Outbox outbox) throws InterruptedException {
        List<String> values = new ArrayList<>();
        Envelope e;
        while ((e = outbox.poll(10, TimeUnit.MILLISECONDS)) != null) {
            values.add(new String(e.value(), StandardCharsets.UTF_8));
            outbox.delivered();
        }
        return values;
    }

    private static List<String> range(int n) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(Integer.toString(i));
        }
        return values;
    }
}
