package dev.reprise.agent.metrics;

import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/** Strict parsing of metric values written as text. */
public final class Numbers {

    /** A decimal number, or nan / inf / infinity in any case, optionally signed. */
    public static final String NUMBER_REGEX =
            "[-+]?(?:(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?|(?i:nan|inf(?:inity)?)(?![A-Za-z]))";

    private static final Pattern DECIMAL = Pattern.compile("[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?");

    private Numbers() {
    }

    /** The value of {@code text} (trimmed), or empty when it is not a plain decimal number, NaN or infinity. */
    public static OptionalDouble parse(String text) {
        String s = text.strip();
        if (s.isEmpty() || s.length() > 64) {
            return OptionalDouble.empty();
        }
        if (DECIMAL.matcher(s).matches()) {
            return OptionalDouble.of(Double.parseDouble(s));
        }
        boolean negative = s.charAt(0) == '-';
        String word = (s.charAt(0) == '-' || s.charAt(0) == '+' ? s.substring(1) : s).toLowerCase(Locale.ROOT);
        return switch (word) {
            case "nan" -> OptionalDouble.of(Double.NaN);
            case "inf", "infinity" -> OptionalDouble.of(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
            default -> OptionalDouble.empty();
        };
    }

    /** The step a value stands for: a finite, non-negative whole number; else null. */
    public static Long asStep(double value) {
        if (Double.isFinite(value) && value >= 0 && value == Math.rint(value) && value < 0x1p62) {
            return (long) value;
        }
        return null;
    }
}
