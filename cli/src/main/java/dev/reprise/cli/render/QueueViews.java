package dev.reprise.cli.render;

import dev.reprise.cli.client.Queue;
import java.util.List;

/** The queues table: limits beside what each queue holds now. */
public final class QueueViews {
    private static final List<String> HEADERS =
            List.of("QUEUE", "RUNNING", "MAX RUNNING", "GPUS IN USE", "GPU QUOTA", "QUEUED");

    private QueueViews() {
    }

    public static String table(List<Queue> queues, TableRenderer tables) {
        if (queues.isEmpty()) {
            return "No queues.";
        }
        List<List<String>> rows = queues.stream().map(q -> List.of(
                Cells.text(q.name()),
                Cells.text(q.running()),
                q.maxRunning() == null ? "unlimited" : Cells.text(q.maxRunning()),
                Cells.text(q.gpusInUse()),
                q.gpuQuota() == null ? "unlimited" : Cells.text(q.gpuQuota()),
                Cells.text(q.queued()))).toList();
        return tables.render(HEADERS, rows);
    }
}
