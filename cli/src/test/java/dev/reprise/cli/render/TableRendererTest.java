package dev.reprise.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableRendererTest {
    private final TableRenderer tables = new TableRenderer(12);

    @Test
    void sizesEachColumnToItsWidestCellAndAlignsNumbersRight() {
        String table = tables.render(List.of("ID", "NAME", "RUNS"), List.of(
                List.of("7", "digits-grid", "12"),
                List.of("1234", "mnist", "3")));

        assertThat(table).isEqualTo("""
                  ID   NAME          RUNS
                   7   digits-grid     12
                1234   mnist            3""");
    }

    @Test
    void cutsCellsLongerThanTheMaximumAndEndsThemWithAnEllipsis() {
        String table = tables.render(List.of("NAME"), List.of(List.of("a-very-long-sweep-name")));

        assertThat(table.lines().toList()).containsExactly("NAME", "a-very-long…");
        assertThat(table.lines().skip(1).findFirst().orElseThrow().codePointCount(0, 12)).isEqualTo(12);
    }

    @Test
    void printsMissingAndBlankCellsAsADashAndPadsShortRows() {
        String table = tables.render(List.of("A", "B", "C"), List.of(Arrays.asList(null, " "), List.of("x", "y", "z")));

        assertThat(table.lines().toList()).containsExactly("A   B   C", "-   -   -", "x   y   z");
    }

    @Test
    void keepsEachRowOnOneLineWhenACellHasLineBreaks() {
        String table = tables.render(List.of("REASON"), List.of(List.of("OOMKilled\r\n\tnode 3")));

        assertThat(table.lines().toList()).containsExactly("REASON", "OOMKilled n…");
    }

    @Test
    void leavesNoTrailingSpaces() {
        String table = tables.render(List.of("NAME", "NOTE"), List.of(List.of("a-long-name", "x"), List.of("b", "-")));

        assertThat(table.lines()).allSatisfy(line -> assertThat(line).doesNotEndWith(" "));
    }

    @Test
    void treatsAColumnOfDecimalsAndDashesAsNumeric() {
        String table = tables.render(List.of("lr"), List.of(List.of("0.0001"), List.of("-"), List.of("1e-5")));

        assertThat(table.lines().toList()).containsExactly("    lr", "0.0001", "     -", "  1e-5");
    }
}
