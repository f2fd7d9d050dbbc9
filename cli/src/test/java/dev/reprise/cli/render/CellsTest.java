package dev.reprise.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.reprise.cli.client.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CellsTest {

    @Test
    void writesDurationsInSecondsMinutesAndHours() {
        assertThat(Cells.duration("2026-11-26T18:00:00Z", "2026-11-26T18:00:12.9Z")).isEqualTo("12s");
        assertThat(Cells.duration("2026-11-26T18:00:00Z", "2026-11-26T18:01:05Z")).isEqualTo("1m05s");
        assertThat(Cells.duration("2026-11-26T18:00:00Z", "2026-11-27T19:02:04Z")).isEqualTo("25h02m04s");
    }

    @Test
    void hasNoDurationUntilBothEndsAreKnownAndOrdered() {
        assertThat(Cells.duration("2026-11-26T18:00:00Z", null)).isEqualTo("-");
        assertThat(Cells.duration("2026-11-26T18:00:00Z", "2026-11-26T17:00:00Z")).isEqualTo("-");
        assertThat(Cells.duration("yesterday", "2026-11-26T17:00:00Z")).isEqualTo("-");
    }

    @Test
    void showsTimestampsInUtcToTheSecondAndKeepsTextItCannotRead() {
        assertThat(Cells.timestamp("2026-11-26T19:00:00.987654+01:00")).isEqualTo("2026-11-26T18:00:00Z");
        assertThat(Cells.timestamp("soon")).isEqualTo("soon");
        assertThat(Cells.timestamp(null)).isEqualTo("-");
    }

    @Test
    void printsJsonValuesWithoutQuotesAndNumbersAsSent() throws Exception {
        var node = Json.parse("{\"s\":\"adam\",\"d\":0.0001,\"e\":1.50,\"n\":null,\"a\":[1,\"x\"]}"
                .getBytes(StandardCharsets.UTF_8));

        assertThat(Cells.json(node.get("s"))).isEqualTo("adam");
        assertThat(Cells.json(node.get("d"))).isEqualTo("0.0001");
        assertThat(Cells.json(node.get("e"))).isEqualTo("1.50");
        assertThat(Cells.json(node.get("n"))).isEqualTo("-");
        assertThat(Cells.json(node.get("a"))).isEqualTo("[1,\"x\"]");
        assertThat(Cells.json(node.get("missing"))).isEqualTo("-");
        assertThat(Cells.json(NullNode.getInstance())).isEqualTo("-");
        assertThat(Cells.json(JsonNodeFactory.instance.booleanNode(true))).isEqualTo("true");
    }
}
