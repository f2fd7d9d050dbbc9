package dev.reprise.orchestrator.domain.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place secrets are hidden, with one rule set and one mask, {@value #MASK}: before a log message is written
 * ({@code RedactingLogFilter}), a problem detail is answered, a run's environment is recorded or shown (provenance,
 * sweep views through {@code SpecRedaction}) and a trial's log line is stored (the ingest's {@code RunSecrets}).
 *
 * <ul>
 *   <li><b>Names.</b> A variable, config key or field is secret when one of its {@code _}/{@code .}/{@code -}-separated
 *       words (case-insensitive) is a secret word (PASSWORD, PASS, SECRET, TOKEN, CREDENTIALS, PRIVATE, AUTH, DSN,
 *       COOKIE, ...), ends with a long one ({@code MYPASSWORD}, {@code accessToken}, {@code apiKey}), or two words
 *       make a secret pair (API_KEY, ACCESS_KEY, PRIVATE_KEY, ...). So {@code HF_TOKEN} and {@code DB_PASSWORD} are
 *       secret while {@code TOKENIZER_NAME}, {@code MONKEY}, {@code BYPASS_CACHE} and {@code AUTHOR} are not.</li>
 *   <li><b>Values.</b> Reprise tokens ({@code rpr_<kind>_…}), JWTs, {@code Bearer}/{@code Basic} credentials, AWS
 *       access key ids, GitHub, GitLab, Slack, OpenAI/Anthropic-style and Hugging Face tokens, PEM private keys and
 *       the password of a {@code scheme://user:password@} URL.</li>
 * </ul>
 * In free text ({@link #redact(String)}) a recognised value keeps its kind's prefix ({@code rpr_api_[redacted]},
 * {@code Bearer [redacted]}) and the value of a {@code name=value} / {@code name: value} with a secret name is
 * masked; a variable's value ({@link #redact(String, String)}) is masked whole. {@link #mask} replaces known secret
 * values wherever they occur. Pure and thread-safe: the same input always gives the same output.
 */
public final class SecretRedactor {

    public static final String MASK = "[redacted]";

    /** Known secret values shorter than this are never masked inside text (they would mask ordinary words). */
    public static final int MIN_MASKED_LENGTH = 4;

    /** Words that make a name secret wherever they appear as a whole word of it. */
    private static final Set<String> SECRET_WORDS = Set.of("PASSWORD", "PASSWD", "PASS", "SECRET", "SECRETS",
            "TOKEN", "TOKENS", "CREDENTIAL", "CREDENTIALS", "CREDS", "PRIVATE", "APIKEY", "AUTH", "AUTHORIZATION",
            "COOKIE", "PASSPHRASE", "DSN");

    /** Words that also make a name secret at the end of a longer word ({@code MYPASSWORD}, {@code ACCESSTOKEN}). */
    private static final List<String> SECRET_SUFFIXES = List.of("PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "TOKEN",
            "CREDENTIAL", "CREDENTIALS", "APIKEY", "ACCESSKEY", "SECRETKEY", "PRIVATEKEY");

    /** Pairs of consecutive words that make a name secret. */
    private static final Set<String> SECRET_PAIRS = Set.of("API_KEY", "ACCESS_KEY", "SECRET_KEY", "PRIVATE_KEY",
            "SIGNING_KEY", "ENCRYPTION_KEY", "CLIENT_KEY", "MASTER_KEY", "ACCOUNT_KEY", "LICENSE_KEY");

    private static final Pattern WORD_SPLIT = Pattern.compile("[_.\\-]+");

    /** Secret-looking values; group 1 is the prefix that names their kind and is kept in free text. */
    private static final List<Pattern> SECRET_VALUES = List.of(
            Pattern.compile("\\b(rpr_[a-z]+_)[A-Za-z0-9_-]{8,}"),                             // Reprise tokens
            Pattern.compile("\\b(eyJ)[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*"),   // JWT
            Pattern.compile("\\b((?i:bearer|basic)\\s+)(?!rpr_)[A-Za-z0-9._~+/=-]{8,}"),         // Authorization values
            Pattern.compile("\\b(AKIA|ASIA)[0-9A-Z]{16}\\b"),                                   // AWS access key id
            Pattern.compile("\\b(gh[pousr]_)[A-Za-z0-9]{20,}"),                                 // GitHub token
            Pattern.compile("\\b(github_pat_)[A-Za-z0-9_]{22,}"),                               // GitHub fine-grained
            Pattern.compile("\\b(glpat-)[A-Za-z0-9_\\-]{20,}"),                                 // GitLab token
            Pattern.compile("\\b(xox[abposr]-)[A-Za-z0-9-]{10,}"),                              // Slack token
            Pattern.compile("\\b(sk-)[A-Za-z0-9_\\-]{20,}"),                                    // OpenAI/Anthropic-style
            Pattern.compile("\\b(hf_)[A-Za-z0-9]{30,}"),                                        // Hugging Face token
            Pattern.compile("(-----BEGIN [A-Z ]*PRIVATE KEY-----)[^-]*"),                       // PEM private key
            Pattern.compile("(://[^/\\s:@]*:)[^@\\s/]+(?=@)"));                                 // scheme://user:pw@

    /** {@code name=value} or {@code name: value}; the replacer masks the value when the name is secret. */
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "\\b([A-Za-z][A-Za-z0-9_.-]*)(\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|(?:(?i:bearer|basic)\\s+)?[^\\s,;&]+)");

    private SecretRedactor() {
    }

    /** Whether a variable, config key or field called {@code name} holds a secret, whatever its value. */
    public static boolean isSecretName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        String[] words = WORD_SPLIT.split(name.toUpperCase(Locale.ROOT));
        for (int i = 0; i < words.length; i++) {
            String word = words[i];
            if (SECRET_WORDS.contains(word) || i + 1 < words.length && SECRET_PAIRS.contains(word + "_" + words[i + 1])) {
                return true;
            }
            for (String suffix : SECRET_SUFFIXES) {
                if (word.endsWith(suffix)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether {@code value} contains something that looks like a credential, whatever it is called. */
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

    /** The value to record or show for one variable: {@value #MASK} when its name or its value is secret. */
    public static String redact(String name, String value) {
        return isSecretName(name) || isSecretValue(value) ? MASK : value;
    }

    /** A copy of {@code env} in the same order, each variable's value as {@link #redact(String, String)} gives it. */
    public static Map<String, String> redact(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((k, v) -> out.put(k, redact(k, v)));
        return out;
    }

    /** Free text with every recognised secret value and every secret-named assignment masked; null stays null. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (Pattern p : SECRET_VALUES) {
            out = p.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
        }
        return ASSIGNMENT.matcher(out).replaceAll(m -> Matcher.quoteReplacement(
                !isSecretName(m.group(1)) || m.group(3).contains(MASK) ? m.group() : m.group(1) + m.group(2) + MASK));
    }

    /**
     * The text with every occurrence of the given secret values (a run's token, its secret variables) replaced by
     * {@value #MASK}, longest first (so a secret that contains another is masked whole); values shorter than
     * {@value #MIN_MASKED_LENGTH} characters are left alone.
     */
    public static String mask(String text, Collection<String> secrets) {
        if (text == null || text.isEmpty() || secrets.isEmpty()) {
            return text;
        }
        List<String> values = new ArrayList<>();
        for (String secret : secrets) {
            if (secret != null && secret.length() >= MIN_MASKED_LENGTH) {
                values.add(secret);
            }
        }
        values.sort(Comparator.comparingInt(String::length).reversed());
        String out = text;
        for (String value : values) {
            if (out.contains(value)) {
                out = out.replace(value, MASK);
            }
        }
        return out;
    }
}
