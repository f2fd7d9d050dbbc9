package dev.reprise.cli.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Text views of data snapshots: the list, one snapshot with its files, and the one-line confirmations. */
public final class SnapshotViews {
    /** Files shown by {@code data show} before it refers to {@code -o json}. */
    public static final int MAX_FILES_SHOWN = 50;

    private static final List<String> HEADERS = List.of("ID", "TAGS", "FILES", "SIZE", "CREATED");
    private static final List<String> FILE_HEADERS = List.of("PATH", "SIZE", "MODE", "SHA256");
    /** Wide enough for a whole id ({@code sha256:} and 64 hex digits), which is what {@code pull} takes. */
    private static final TableRenderer WIDE = new TableRenderer(72);

    private SnapshotViews() {
    }

    public static String table(JsonNode page) {
        JsonNode items = page.path("items");
        if (items.isEmpty()) {
            return page.path("total").asLong() == 0 ? "No snapshots found."
                    : "No snapshots on page " + page.path("page").asInt() + "; there are " + page.path("total").asLong()
                    + " snapshots.";
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode s : items) {
            rows.add(List.of(s.path("id").asText(), tags(s), s.path("fileCount").asText(),
                    size(s.path("totalBytes").asLong()), Cells.timestamp(s.path("createdAt").asText(null))));
        }
        String table = WIDE.render(HEADERS, rows);
        long total = page.path("total").asLong();
        int shown = items.size();
        if (shown < total) {
            long first = (long) page.path("page").asInt() * page.path("size").asInt() + 1;
            table += "\nShowing " + first + "-" + (first + shown - 1) + " of " + total
                    + " snapshots. Next page: --page " + (page.path("page").asInt() + 1);
        }
        return table;
    }

    public static String detail(JsonNode s) {
        String view = new DetailRenderer()
                .field("ID", s.path("id").asText())
                .field("Tags", tags(s))
                .field("Files", s.path("fileCount").asText())
                .field("Size", size(s.path("totalBytes").asLong()) + " (" + s.path("totalBytes").asLong() + " bytes)")
                .field("Created", Cells.timestamp(s.path("createdAt").asText(null)))
                .field("Created by", Cells.json(s.path("createdBy")))
                .render();
        JsonNode entries = s.path("entries");
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < entries.size() && i < MAX_FILES_SHOWN; i++) {
            JsonNode e = entries.get(i);
            rows.add(List.of(e.path("path").asText(), size(e.path("size").asLong()),
                    String.format("%04o", e.path("mode").asInt()), e.path("sha256").asText().substring(0, 12)));
        }
        String files = rows.isEmpty() ? "" : "\n\n" + new TableRenderer(100).render(FILE_HEADERS, rows);
        if (entries.size() > MAX_FILES_SHOWN) {
            files += "\n... and " + (entries.size() - MAX_FILES_SHOWN) + " more files (-o json lists them all)";
        }
        return view + files;
    }

    /** E.g. {@code Pushed digits:latest = sha256:… (200 files, 52.4 MB, uploaded 1 new blob, 262.1 kB)}. */
    public static String pushed(JsonNode commit, int newBlobs, long newBytes) {
        return "Pushed " + commit.path("name").asText() + ":" + commit.path("tag").asText() + " = "
                + commit.path("id").asText() + " (" + count(commit.path("fileCount").asLong(), "file") + ", "
                + size(commit.path("totalBytes").asLong()) + ", uploaded " + count(newBlobs, "new blob") + ", "
                + size(newBytes) + ")";
    }

    /** Sizes in decimal units as storage consoles show them: {@code 999 B}, {@code 1.5 kB}, {@code 52.4 MB}. */
    public static String size(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double value = bytes;
        int unit = -1;
        while (value >= 999.95 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    public static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String tags(JsonNode s) {
        List<String> tags = new ArrayList<>();
        s.path("tags").forEach(t -> tags.add(t.asText()));
        return tags.isEmpty() ? Cells.NONE : String.join(", ", tags);
    }
}
