package dev.reprise.orchestrator.domain.spec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code resources.timeLimit}: how long one attempt of a trial may run, as whole seconds ({@code 7200}) or a duration
 * of days, hours, minutes and seconds in that order ({@code 2h}, {@code 1h30m}, {@code 90s}, {@code 1d}), as Slurm's
 * {@code --time} and Kubernetes' {@code activeDeadlineSeconds} express it.
 */
final class TimeLimit {

    /** Thirty days: longer is almost certainly a typo (and far past any Job's useful life). */
    static final long MAX_SECONDS = 30L * 24 * 3600;
    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
    private static final String HINT = "must be a duration such as 90s, 45m, 2h or 1h30m, or whole seconds";

    private TimeLimit() {
    }

    /** The limit in seconds, or null when absent or invalid (then an error names {@code field}). */
    static Long seconds(Object raw, String field, Errors errors) {
        if (raw == null) {
            return null;
        }
        Long seconds = null;
        if (raw instanceof Integer || raw instanceof Long) {
            seconds = ((Number) raw).longValue();
        } else if (raw instanceof String s && !s.isEmpty() && s.length() <= 32) {
            Matcher m = DURATION.matcher(s);
            if (m.matches()) {
                try {
                    long total = 0;
                    long[] unit = {86400, 3600, 60, 1};
                    for (int g = 1; g <= 4; g++) {
                        if (m.group(g) != null) {
                            total = Math.addExact(total, Math.multiplyExact(Long.parseLong(m.group(g)), unit[g - 1]));
                        }
                    }
                    seconds = total;
                } catch (ArithmeticException | NumberFormatException e) {
                    seconds = Long.MAX_VALUE;
                }
            }
        }
        if (seconds == null) {
            errors.add(field, HINT);
            return null;
        }
        if (seconds < 1) {
            errors.add(field, "must be at least 1 second");
            return null;
        }
        if (seconds > MAX_SECONDS) {
            errors.add(field, "must be at most 30 days (" + MAX_SECONDS + " seconds)");
            return null;
        }
        return seconds;
    }
}
