package dev.reprise.cli.render;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Plain-text tables: each column as wide as its widest cell, columns three spaces apart, numeric columns aligned
 * right, no trailing spaces. Line breaks and tabs inside a cell become spaces, missing cells print as {@code -}, and a
 * cell longer than the maximum width is cut to fit and ends with an ellipsis.
 */
public final class TableRenderer {
    public static final int DEFAULT_MAX_CELL_WIDTH = 40;
    private static final String GAP = "   ";
    private static final String ELLIPSIS = "…";
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    private static final Pattern BREAKS = Pattern.compile("[\\r\\n\\t]+");

    private final int maxCellWidth;

    public TableRenderer() {
        this(DEFAULT_MAX_CELL_WIDTH);
    }

    public TableRenderer(int maxCellWidth) {
        if (maxCellWidth < 2) {
            throw new IllegalArgumentException("maxCellWidth must be at least 2, not " + maxCellWidth);
        }
        this.maxCellWidth = maxCellWidth;
    }

    /** The table as lines joined by {@code \n}, without a final line break. Rows shorter than the header are padded. */
    public String render(List<String> headers, List<List<String>> rows) {
        List<List<String>> body = rows.stream().map(row -> normalize(row, headers.size())).toList();
        List<String> header = normalize(headers, headers.size());
        int[] widths = new int[headers.size()];
        boolean[] numeric = new boolean[headers.size()];
        for (int column = 0; column < headers.size(); column++) {
            widths[column] = width(header.get(column));
            boolean anyNumber = false;
            boolean allNumbers = true;
            for (List<String> row : body) {
                String cell = row.get(column);
                widths[column] = Math.max(widths[column], width(cell));
                anyNumber |= NUMBER.matcher(cell).matches();
                allNumbers &= NUMBER.matcher(cell).matches() || Cells.NONE.equals(cell);
            }
            numeric[column] = anyNumber && allNumbers;
        }
        List<String> lines = new ArrayList<>();
        lines.add(line(header, widths, numeric));
        body.forEach(row -> lines.add(line(row, widths, numeric)));
        return String.join("\n", lines);
    }

    private List<String> normalize(List<String> cells, int columns) {
        List<String> normalized = new ArrayList<>(columns);
        for (int column = 0; column < columns; column++) {
            String cell = column < cells.size() ? cells.get(column) : null;
            normalized.add(fit(cell == null || cell.isBlank() ? Cells.NONE : BREAKS.matcher(cell.strip()).replaceAll(" ")));
        }
        return normalized;
    }

    private String fit(String cell) {
        if (width(cell) <= maxCellWidth) {
            return cell;
        }
        int end = cell.offsetByCodePoints(0, maxCellWidth - 1);
        return cell.substring(0, end) + ELLIPSIS;
    }

    private static String line(List<String> cells, int[] widths, boolean[] numeric) {
        StringBuilder line = new StringBuilder();
        for (int column = 0; column < cells.size(); column++) {
            if (column > 0) {
                line.append(GAP);
            }
            String cell = cells.get(column);
            String padding = " ".repeat(widths[column] - width(cell));
            line.append(numeric[column] ? padding + cell : cell + padding);
        }
        return line.toString().stripTrailing();
    }

    private static int width(String text) {
        return text.codePointCount(0, text.length());
    }
}
