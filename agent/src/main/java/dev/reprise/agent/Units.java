package dev.reprise.agent;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}; a bare number is seconds) and byte sizes. */
final class Units {

    private static final Pattern AMOUNT = Pattern.compile("(\\d{1,15})\\s*([a-z]*)");

    private Units() {
    }

    static Duration duration(String text, String option) throws AgentOptions.UsageException {
        Matcher m = AMOUNT.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms":
                    return Duration.ofMillis(n);
                case "", "s":
                    return Duration.ofSeconds(n);
                case "m":
                    return Duration.ofMinutes(n);
                case "h":
                    return Duration.ofHours(n);
                default:
                    break;
            }
        }
        throw new AgentOptions.UsageException(option + " is not a duration (like 500ms, 30s, 2m): " + text);
    }

    static long bytes(String text, String option) throws AgentOptions.UsageException {
        Matcher m = AMOUNT.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "", "b":
                    return n;
                case "k", "kb", "kib":
                    return n << 10;
                case "m", "mb", "mib":
                    return n << 20;
                case "g", "gb", "gib":
                    return n << 30;
                default:
                    break;
            }
        }
        throw new AgentOptions.UsageException(option + " is not a size (like 512k, 32m, 1g): " + text);
    }
}
