package dev.reprise.orchestrator.domain.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it is logged, stored as provenance or sent in an error: Reprise tokens, JWTs,
 * bearer credentials, well-known cloud keys, and the values of variables whose names say they are secret. Pure and
 * thread-safe; the replacement keeps a short prefix of recognisable tokens so a log line still says which kind leaked.
 */
public final class SecretRedactor {

    public static final String MASK = "[REDACTED]";

    /** Names (environment variables, config keys, JSON fields) whose values are secret. */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(pass(word|wd)?|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth).*");

    private static final List<Pattern> VALUE_PATTERNS = List.of(
            // Reprise API, session and run tokens: rpr_<kind>_<secret>
            Pattern.compile("\\b(rpr_[a-z]+_)[A-Za-z0-9_-]{8,}"),
            // JWTs (three base64url parts, the first a JSON header)
            Pattern.compile("\\b(eyJ)[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*"),
            // Authorization header values
            Pattern.compile("\\b((?i:bearer|basic)\\s+)(?!rpr_)[A-Za-z0-9._~+/=-]{8,}"),
            // AWS access key ids and GitHub tokens
            Pattern.compile("\\b(AKIA)[0-9A-Z]{16}\\b"),
            Pattern.compile("\\b(gh[pousr]_)[A-Za-z0-9]{20,}"),
            // user:password@ in URLs
            Pattern.compile("(://[^/\\s:@]+:)[^@\\s/]+(?=@)"));

    /** name=value or name: value where the name looks secret. */
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "(?i)\\b([A-Za-z0-9_.-]*(?:pass(?:word|wd)?|secret|token|api[_-]?key|access[_-]?key|private[_-]?key"
                    + "|credential)[A-Za-z0-9_.-]*\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s,;&]+)");

    private SecretRedactor() {
    }

    /** Whether a variable or field of this name holds a secret. */
    public static boolean isSecretName(String name) {
        return name != null && SECRET_NAME.matcher(name).matches();
    }

    /** The text with every recognised secret replaced by {@link #MASK}; null stays null. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (Pattern p : VALUE_PATTERNS) {
            out = p.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
        }
        out = ASSIGNMENT.matcher(out).replaceAll(m -> m.group(2).contains(MASK) ? Matcher.quoteReplacement(m.group())
                : Matcher.quoteReplacement(m.group(1) + MASK));
        return out;
    }

    /**
     * The text with every occurrence of the given secret values (a run's own credentials and secret variables)
     * replaced by {@link #MASK}; values shorter than 4 characters are left alone (they would mask ordinary text).
     */
    public static String maskValues(String text, java.util.Collection<String> secrets) {
        if (text == null || text.isEmpty() || secrets.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4 && out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        return out;
    }

    /** A copy of the variables with secret-named values masked and secrets inside the other values redacted. */
    public static Map<String, String> redactEnv(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((k, v) -> out.put(k, isSecretName(k) ? MASK : redact(v)));
        return out;
    }
}
