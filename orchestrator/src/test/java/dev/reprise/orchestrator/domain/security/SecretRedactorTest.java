package dev.reprise.orchestrator.domain.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {

    private static final String MASK = SecretRedactor.MASK;

    // names

    @Test
    void namesWithASecretWordOrPairAreSecret() {
        for (String name : new String[] {"HF_TOKEN", "db_password", "AWS_SECRET_ACCESS_KEY", "OPENAI_API_KEY",
                "WANDB.API.KEY", "GITHUB-TOKEN", "MY_CREDENTIALS", "SSH_PRIVATE_KEY", "PASSPHRASE", "SENTRY_DSN",
                "REPRISE_RUN_TOKEN", "AUTH_HEADER", "SESSION_COOKIE"}) {
            assertThat(SecretRedactor.isSecretName(name)).as(name).isTrue();
        }
    }

    @Test
    void namesEndingInALongSecretWordAreSecret() {
        for (String name : new String[] {"MYPASSWORD", "accessToken", "apiKey", "GITHUBTOKEN", "clientSecret"}) {
            assertThat(SecretRedactor.isSecretName(name)).as(name).isTrue();
        }
    }

    @Test
    void namesThatOnlyContainASecretWordInsideAnotherWordAreNotSecret() {
        for (String name : new String[] {"TOKENIZER_NAME", "MONKEY", "KEY_FRAMES", "PASSES", "BYPASS_CACHE",
                "LEARNING_RATE", "PWD", "SESSION_NAME", "AUTHOR", "", null}) {
            assertThat(SecretRedactor.isSecretName(name)).as(String.valueOf(name)).isFalse();
        }
    }

    // one variable's value

    @Test
    void hidesTheWholeValueOfAVariableWhoseNameSaysSecret() {
        assertThat(SecretRedactor.redact("HF_TOKEN", "plain")).isEqualTo(MASK);
    }

    @Test
    void hidesValuesThatLookLikeCredentialsWhateverTheName() {
        for (String value : new String[] {"AKIAIOSFODNN7EXAMPLE", "ghp_" + "a".repeat(36),
                "github_pat_" + "b".repeat(30), "glpat-" + "c".repeat(20), "xoxb-1234567890-abcdef",
                "sk-" + "A1b2".repeat(6), "hf_" + "x".repeat(34), "rpr_api_AbCdEfGhIjKl",
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc123", "-----BEGIN RSA PRIVATE KEY-----\nMII",
                "postgres://reprise:hunter2@db:5432/reprise", "Bearer abcdefghijklmnop"}) {
            assertThat(SecretRedactor.redact("SETTING", value)).as(value).isEqualTo(MASK);
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
        env.put("DB_PASSWORD", "p");

        assertThat(SecretRedactor.redact(env)).containsExactly(Map.entry("Z_MODE", "fast"),
                Map.entry("HF_TOKEN", MASK), Map.entry("A_LR", "0.1"), Map.entry("DB_PASSWORD", MASK));
    }

    // free text

    @Test
    void masksRepriseTokensJwtsAndBearerValuesInTextButKeepsTheirKind() {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXZhbHVl";
        String text = "token rpr_api_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg and " + jwt
                + " and Authorization: Bearer abcdefghijklmnop";
        assertThat(SecretRedactor.redact(text))
                .isEqualTo("token rpr_api_" + MASK + " and eyJ" + MASK + " and Authorization: Bearer " + MASK);
    }

    @Test
    void masksValuesOfSecretNamedAssignmentsAndUrlPasswordsInText() {
        assertThat(SecretRedactor.redact("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG db_password: hunter2 x=1"))
                .isEqualTo("AWS_SECRET_ACCESS_KEY=" + MASK + " db_password: " + MASK + " x=1");
        assertThat(SecretRedactor.redact("postgres://reprise:s3cret@db:5432/x"))
                .isEqualTo("postgres://reprise:" + MASK + "@db:5432/x");
        assertThat(SecretRedactor.redact("key AKIAIOSFODNN7EXAMPLE")).isEqualTo("key AKIA" + MASK);
        assertThat(SecretRedactor.redact("-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----"))
                .doesNotContain("MIIEvQ");
    }

    @Test
    void leavesOrdinaryTextAndAssignmentsOfOrdinaryNamesAlone() {
        String text = "learning_rate=0.01 batch=32 loss: 0.25 tokenizer=bert at step 100 (see https://example.com/a/b)";
        assertThat(SecretRedactor.redact(text)).isEqualTo(text);
        assertThat(SecretRedactor.redact((String) null)).isNull();
    }

    // known values

    @Test
    void masksKnownSecretValuesWhereverTheyOccurLongestFirst() {
        assertThat(SecretRedactor.mask("password is db-s3cret, again db-s3cret-long", List.of("db-s3cret",
                "db-s3cret-long"))).isEqualTo("password is " + MASK + ", again " + MASK);
    }

    @Test
    void leavesKnownValuesShorterThanFourCharactersAlone() {
        assertThat(SecretRedactor.mask("a b abc", List.of("abc", "b"))).isEqualTo("a b abc");
        assertThat(SecretRedactor.mask(null, List.of("abcd"))).isNull();
    }
}
