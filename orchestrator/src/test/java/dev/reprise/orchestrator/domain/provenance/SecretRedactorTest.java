package dev.reprise.orchestrator.domain.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {

    @Test
    void hidesValuesOfVariablesWhoseNameSaysSecret() {
        for (String name : new String[] {"HF_TOKEN", "db_password", "AWS_SECRET_ACCESS_KEY", "OPENAI_API_KEY",
                "WANDB.API.KEY", "GITHUB-TOKEN", "MY_CREDENTIALS", "SSH_PRIVATE_KEY", "PASSPHRASE", "SENTRY_DSN"}) {
            assertThat(SecretRedactor.redact(name, "plain")).as(name).isEqualTo(SecretRedactor.REDACTED);
        }
    }

    @Test
    void keepsVariablesWhoseNameOnlyContainsASecretWordInsideAnotherWord() {
        for (String name : new String[] {"TOKENIZER_NAME", "MONKEY", "KEY_FRAMES", "PASSES", "BYPASS_CACHE",
                "LEARNING_RATE", "PWD", "SESSION_NAME"}) {
            assertThat(SecretRedactor.redact(name, "value")).as(name).isEqualTo("value");
        }
    }

    @Test
    void hidesValuesThatLookLikeCredentialsWhateverTheName() {
        for (String value : new String[] {"AKIAIOSFODNN7EXAMPLE", "ghp_" + "a".repeat(36),
                "xoxb-1234567890-abcdef", "sk-" + "A1b2".repeat(6), "hf_" + "x".repeat(34),
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc123", "-----BEGIN RSA PRIVATE KEY-----\nMII",
                "postgres://reprise:hunter2@db:5432/reprise"}) {
            assertThat(SecretRedactor.redact("SETTING", value)).as(value).isEqualTo(SecretRedactor.REDACTED);
        }
    }

    @Test
    void keepsOrdinaryValuesAndUrlsWithoutPasswords() {
        for (String value : new String[] {"0.01", "cosine", "https://example.com/data", "s3://bucket/key",
                "postgres://db:5432/reprise", "sk-short"}) {
            assertThat(SecretRedactor.redact("SETTING", value)).as(value).isEqualTo(value);
        }
    }

    @Test
    void redactsAWholeEnvironmentKeepingItsOrder() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("Z_MODE", "fast");
        env.put("HF_TOKEN", "hf_" + "q".repeat(34));
        env.put("A_LR", "0.1");

        assertThat(SecretRedactor.redact(env)).containsExactly(Map.entry("Z_MODE", "fast"),
                Map.entry("HF_TOKEN", SecretRedactor.REDACTED), Map.entry("A_LR", "0.1"));
    }
}
