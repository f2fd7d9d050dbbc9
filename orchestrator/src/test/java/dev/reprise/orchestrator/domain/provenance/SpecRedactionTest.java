package dev.reprise.orchestrator.domain.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecRedactionTest {

    private static final String TOKEN = "hf_" + "a1B2c3D4".repeat(5);

    private static Map<String, Object> spec(Map<String, Object> env) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", "s");
        spec.put("env", env);
        return spec;
    }

    @Test
    void hidesSecretValuesOfTheTreeByNameAndByShapeAndKeepsReferences() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("MODE", "fast");
        env.put("DB_PASSWORD", "hunter2");
        env.put("MODEL_URL", "https://hub.example/" + TOKEN);
        env.put("HF_TOKEN", Map.of("secret", "hf/token"));
        Object shown = SpecRedaction.tree(spec(env));
        assertThat(shown).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .extractingByKey("env").isEqualTo(Map.of("MODE", "fast", "DB_PASSWORD", "[redacted]",
                        "MODEL_URL", "[redacted]", "HF_TOKEN", Map.of("secret", "hf/token")));
        assertThat(env).as("the input is left as it was").containsEntry("DB_PASSWORD", "hunter2");
    }

    @Test
    void hidesTheSecretsWhereverTheSubmittedTextHasThem() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("API_KEY", "p4ss\"word");
        env.put("HF_TOKEN", TOKEN);
        env.put("SHORT_SECRET", "ab");
        Map<String, String> secrets = SpecRedaction.secrets(spec(env));
        String yaml = "env:\n  API_KEY: 'p4ss\"word'\n  HF_TOKEN: " + TOKEN + "  # keep\n  SHORT_SECRET: ab\n"
                + "command: [train, --token=" + TOKEN + ", --tab]\n";
        assertThat(SpecRedaction.text(yaml, secrets)).isEqualTo("env:\n  API_KEY: '[redacted]'\n"
                + "  HF_TOKEN: \"[redacted]\"  # keep\n  SHORT_SECRET: \"[redacted]\"\n"
                + "command: [train, --token=[redacted], --tab]\n");
        String json = "{\"env\": {\"API_KEY\": \"p4ss\\\"word\", \"HF_TOKEN\": \"" + TOKEN + "\"}}";
        assertThat(SpecRedaction.text(json, secrets)).isEqualTo("{\"env\": {\"API_KEY\": \"[redacted]\", "
                + "\"HF_TOKEN\": \"[redacted]\"}}").doesNotContain("p4ss", TOKEN);
    }
}
