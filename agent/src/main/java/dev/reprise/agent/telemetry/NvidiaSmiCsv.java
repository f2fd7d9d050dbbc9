package dev.reprise.agent.telemetry;

import dev.reprise.api.messages.GpuSample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses {@code nvidia-smi --query-gpu=… --format=csv[,noheader][,nounits]} output into {@link GpuSample}s. Columns
 * are found by name: from the header line when there is one, else from the query's field list. Units
 * ({@code 81559 MiB}) are tolerated; {@code [N/A]}, {@code [Not Supported]}, {@code [Unknown Error]} and anything
 * else that is not a number become null. Lines without an index or uuid are skipped. Pure and thread-safe.
 */
public final class NvidiaSmiCsv {

    /** The fields the agent queries, in order. */
    public static final List<String> QUERY_FIELDS = List.of("index", "uuid", "name", "utilization.gpu",
            "memory.used", "memory.total", "power.draw", "temperature.gpu", "clocks.sm");

    private static final Map<String, String> ALIASES = Map.of(
            "clocks.current.sm", "clocks.sm",
            "gpu_uuid", "uuid",
            "gpu_name", "name");

    private NvidiaSmiCsv() {
    }

    /** Parses {@code csv}; {@code fields} name the columns when the output has no header. */
    public static List<GpuSample> parse(String csv, List<String> fields) {
        List<String> columns = fields;
        List<GpuSample> samples = new ArrayList<>();
        for (String raw : csv.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("index") || line.contains("[MiB]") || line.startsWith("uuid")) {
                columns = header(line);
                continue;
            }
            GpuSample sample = row(split(line, columns.size(), columns.indexOf("name")), columns);
            if (sample != null) {
                samples.add(sample);
            }
        }
        return samples;
    }

    private static List<String> header(String line) {
        return Arrays.stream(line.split(","))
                .map(h -> h.replaceAll("\\[.*]", "").strip().toLowerCase(Locale.ROOT))
                .map(h -> ALIASES.getOrDefault(h, h))
                .toList();
    }

    /** Splits on commas; surplus cells (a comma inside a product name) are joined back into the name column. */
    private static List<String> split(String line, int expected, int nameColumn) {
        List<String> cells = new ArrayList<>(Arrays.stream(line.split(",", -1)).map(String::strip).toList());
        if (nameColumn >= 0) {
            while (cells.size() > expected && cells.size() > nameColumn + 1) {
                cells.set(nameColumn, cells.get(nameColumn) + ", " + cells.remove(nameColumn + 1));
            }
        }
        return cells;
    }

    private static GpuSample row(List<String> cells, List<String> columns) {
        Double index = number(cell(cells, columns, "index"));
        String uuid = cell(cells, columns, "uuid");
        if (index == null || uuid == null || uuid.isEmpty()) {
            return null;
        }
        String name = cell(cells, columns, "name");
        return new GpuSample(
                index.intValue(),
                uuid,
                name == null ? "" : name,
                asInt(number(cell(cells, columns, "utilization.gpu"))),
                asLong(number(cell(cells, columns, "memory.used"))),
                asLong(number(cell(cells, columns, "memory.total"))),
                number(cell(cells, columns, "power.draw")),
                asInt(number(cell(cells, columns, "temperature.gpu"))),
                asInt(number(cell(cells, columns, "clocks.sm"))));
    }

    private static String cell(List<String> cells, List<String> columns, String field) {
        int i = columns.indexOf(field);
        return i >= 0 && i < cells.size() ? cells.get(i) : null;
    }

    /** The leading number of a cell ("119.50", "81559 MiB", "0 %"), or null for [N/A] and the like. */
    static Double number(String cell) {
        if (cell == null) {
            return null;
        }
        String token = cell.strip().split("\\s+", 2)[0];
        if (!token.matches("[-+]?\\d+(\\.\\d+)?")) {
            return null;
        }
        return Double.parseDouble(token);
    }

    private static Integer asInt(Double d) {
        return d == null ? null : (int) Math.round(d);
    }

    private static Long asLong(Double d) {
        return d == null ? null : Math.round(d);
    }
}
