package dev.reprise.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DetailRendererTest {

    @Test
    void alignsValuesAfterTheLongestLabelAndIndentsSections() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("lr", "0.01");
        parameters.put("batch_size", "32");

        String view = new DetailRenderer()
                .field("ID", "345")
                .field("Stop reason", null)
                .section("Parameters", parameters)
                .render();

        assertThat(view).isEqualTo("""
                ID:          345
                Stop reason: -
                Parameters:
                  lr:         0.01
                  batch_size: 32""");
    }

    @Test
    void printsAnEmptySectionAsADash() {
        assertThat(new DetailRenderer().field("State", "QUEUED").section("Parameters", Map.of()).render())
                .isEqualTo("State:      QUEUED\nParameters: -");
    }

    @Test
    void indentsTheContinuationLinesOfAMultiLineValue() {
        assertThat(new DetailRenderer().field("ID", "1").field("Reason", "OOMKilled\non node gpu-3").render())
                .isEqualTo("ID:     1\nReason: OOMKilled\n        on node gpu-3");
    }
}
