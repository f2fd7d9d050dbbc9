package dev.reprise.orchestrator.domain.provenance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Hides secrets before environment variables are recorded or shown. A value is replaced by {@link #REDACTED} when
 * its <em>name</em> looks like a secret (contains PASSWORD, PASSWD, SECRET, TOKEN, CREDENTIAL, PRIVATE, API_KEY,
 * ACCESS_KEY, ...) or when the <em>value</em> looks like one (an AWS access key id, a GitHub, GitLab, Slack,
 * OpenAI/Anthropic-style or Hugging Face token, a JWT, a PEM private key, or a URL with a password in it). Names
 * are matched case-insensitively on their {@code _}/{@code -}/{@code .}-separated words, so {@code MONKEY} or
 * {@code TOKENIZER_NAME} stay visible while {@code HF_TOKEN} and {@code DB_PASSWORD} are hidden.
 *
 * <p>Pure and stateless: the same input always gives the same output, so redacted records can be compared.
 */
public final class SecretRedactor {

    public static final String REDACTED = "[redacted]";

    /** Words that make a variable name secret wherever they appear as a whole word of the name. */
    private static final List<String> SECRET_WORDS = List.of("PASSWORD", "PASSWD", "PASS", "SECRET", "SECRETS",
            "TOKEN", "TOKENS", "CREDENTIAL", "CREDENTIALS", "CREDS", "PRIVATE", "APIKEY", "AUTHORIZATION", "COOKIE",
            "PASSPHRASE", "DSN");

    /** Pairs of consecutive words that make a name secret (API_KEY, ACCESS_KEY, ...). */
    private static final List<String> SECRET_PAIRS = List.of("API_KEY", "ACCESS_KEY", "SECRET_KEY", "PRIVATE_KEY",
            "SIGNING_KEY", "ENCRYPTION_KEY", "CLIENT_KEY", "MASTER_KEY", "ACCOUNT_KEY", "LICENSE_KEY");

    private static final Pattern WORD_SPLIT = Pattern.compile("[_.\\-]+");

    private static final List<Pattern> SECRET_VALUES = List.of(
            Pattern.compile("\\b(AKIA|ASIA)[0-9A-Z]{16}\\b"),                        // AWS access key id
            Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{36,}\\b"),                     // GitHub token
            Pattern.compile("\\bgithub_pat_[A-Za-z0-9_]{22,}\\b"),                   // GitHub fine-grained token
            Pattern.compile("\\bglpat-[A-Za-z0-9_\\-]{20,}\\b"),                     // GitLab token
            Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}\\b"),                  // Slack token
            Pattern.compile("\\bsk-[A-Za-z0-9_\\-]{20,}\\b"),                        // OpenAI/Anthropic-style key
            Pattern.compile("\\bhf_[A-Za-z0-9]{30,}\\b"),                            // Hugging Face token
            Pattern.compile("\\beyJ[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]+"), // JWT
            Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----"),                   // PEM private key
            Pattern.compile("[a-zA-Z][a-zA-Z0-9+.\\-]*://[^/\\s:@]*:[^/\\s@]+@"));   // scheme://user:password@

    private SecretRedactor() {
    }

    /** Whether a variable called {@code name} holds a secret, whatever its value. */
    public static boolean isSecretName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        String[] words = WORD_SPLIT.split(upper);
        for (int i = 0; i < words.length; i++) {
            if (SECRET_WORDS.contains(words[i])) {
                return true;
            }
            if (i + 1 < words.length && SECRET_PAIRS.contains(words[i] + "_" + words[i + 1])) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code value} looks like a credential, whatever the variable is called. */
    public static boolean isSecretValue(String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        for (Pattern p : SECRET_VALUES) {
            if (p.matcher(value).find()) {
                return true;
            }
        }
        return false;
    }

    /** The value to record for one variable. */
    public static String redact(String name, String value) {
        return isSecretName(name) || isSecretValue(value) ? REDACTED : value;
    }

    /** A copy of {@code env} in the same order, with every secret value replaced by {@link #REDACTED}. */
    public static Map<String, String> redact(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((k, v) -> out.put(k, redact(k, v)));
        return out;
    }
}
