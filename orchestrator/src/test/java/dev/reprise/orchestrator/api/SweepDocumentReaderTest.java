package dev.reprise.orchestrator.api;

import dev.reprise.orchestrator.domain.error.MalformedDocumentException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SweepDocumentReaderTest {

    private final SweepDocumentReader reader = new SweepDocumentReader();

    /** The classic "billion laughs": nine levels of ten aliases each, 10^9 strings if expanded. */
    static String billionLaughs() {
        StringBuilder sb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'i'; c++) {
            sb.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                sb.append(i == 0 ? "" : ",").append('*').append(prev);
            }
            sb.append("]\n");
            prev = c;
        }
        return sb.toString();
    }

    static String deeplyNested(int depth) {
        return "name: x\nparameters: " + "[".repeat(depth) + "]".repeat(depth) + "\n";
    }

    @Test
    void readsYamlIntoPlainMapsListsAndScalars() {
        Object tree = reader.read("a: 1\nb: [x, 2.5, true]\nc: {d: null}\n", SpecFormat.YAML);
        assertThat(tree).isEqualTo(Map.of("a", 1, "b", List.of("x", 2.5, true), "c", java.util.Collections
                .singletonMap("d", null)));
    }

    @Test
    @Timeout(10)
    void refusesAnAliasBomb() {
        assertThatThrownBy(() -> reader.read(billionLaughs(), SpecFormat.YAML))
                .isInstanceOf(MalformedDocumentException.class)
                .hasMessageContaining("alias");
    }

    @Test
    void resolvesAliasesInsteadOfMisreadingThem() {
        assertThat(reader.read("base: &b [1, 2]\ncopy: *b\n", SpecFormat.YAML))
                .isEqualTo(Map.of("base", List.of(1, 2), "copy", List.of(1, 2)));
    }

    @Test
    @Timeout(10)
    void refusesAliasGraphsThatExpandBeyondTheNodeBudget() {
        StringBuilder sb = new StringBuilder("a: &a [" + "1,".repeat(5000) + "1]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'f'; c++) {
            sb.append(c).append(": &").append(c).append(" [").append(("*" + prev + ",").repeat(8)).append('*')
                    .append(prev).append("]\n");
            prev = c;
        }
        assertThatThrownBy(() -> reader.read(sb.toString(), SpecFormat.YAML))
                .isInstanceOf(MalformedDocumentException.class).hasMessageContaining("values");
    }

    @Test
    void readsYaml12ScientificNotationAsNumbers() {
        assertThat(reader.read("lr: 1e-5\nother: 2.5E3\nname: 1e\n", SpecFormat.YAML))
                .isEqualTo(Map.of("lr", 1e-5, "other", 2500.0, "name", "1e"));
    }

    @Test
    void refusesNestingDeeperThanTheLimit() {
        assertThatThrownBy(() -> reader.read(deeplyNested(200), SpecFormat.YAML))
                .isInstanceOf(MalformedDocumentException.class);
        assertThatThrownBy(() -> reader.read("{\"a\":" + "[".repeat(200) + "]".repeat(200) + "}", SpecFormat.JSON))
                .isInstanceOf(MalformedDocumentException.class)
                .hasMessageContaining("limit");
    }

    @Test
    void refusesDuplicateKeys() {
        assertThatThrownBy(() -> reader.read("name: a\nname: b\n", SpecFormat.YAML))
                .isInstanceOf(MalformedDocumentException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> reader.read("{\"name\":\"a\",\"name\":\"b\"}", SpecFormat.JSON))
                .isInstanceOf(MalformedDocumentException.class).hasMessageContaining("name");
    }

    @Test
    void reportsTheLineOfASyntaxError() {
        assertThatThrownBy(() -> reader.read("name: [unclosed\nimage: x\n", SpecFormat.YAML))
                .isInstanceOf(MalformedDocumentException.class).hasMessageStartingWith("malformed yaml");
        assertThatThrownBy(() -> reader.read("{\"name\": }", SpecFormat.JSON))
                .isInstanceOf(MalformedDocumentException.class).hasMessageContaining("line 1");
    }

    @Test
    void refusesStringsLongerThanTheLimit() {
        String longValue = "x".repeat(SweepDocumentReader.MAX_STRING + 10);
        assertThatThrownBy(() -> reader.read("{\"description\":\"" + longValue + "\"}", SpecFormat.JSON))
                .isInstanceOf(MalformedDocumentException.class);
    }

    @Test
    void refusesEmptyBodiesAndTrailingDocuments() {
        assertThatThrownBy(() -> reader.read("  ", SpecFormat.YAML)).isInstanceOf(MalformedDocumentException.class);
        assertThatThrownBy(() -> reader.read("{} {}", SpecFormat.JSON)).isInstanceOf(MalformedDocumentException.class);
    }
}
