package dev.reprise.orchestrator.domain.security;

import java.util.Optional;

/**
 * Characters no identifier, parameter or stored text of the API may hold: control characters (C0, DEL, C1 — NUL
 * breaks PostgreSQL text, the others break logs and terminals) and the Unicode bidirectional embedding, override and
 * isolate controls U+202A–U+202E and U+2066–U+2069, which make a key or path display as something it is not
 * ("Trojan Source"). Tab, CR and LF are allowed where text legitimately spans lines (document bodies), never in URLs.
 * Pure.
 */
public final class UnsafeCharacters {

    private UnsafeCharacters() {
    }

    /** A C0 control, DEL or a C1 control. */
    public static boolean isControl(int c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f);
    }

    /** A bidirectional embedding, override or isolate control (U+202A–U+202E, U+2066–U+2069). */
    public static boolean isBidiControl(int c) {
        return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }

    /**
     * Why the text may not be taken, or empty. {@code multiline}: tab, CR and LF are allowed (a body's text);
     * otherwise they are refused too (URLs, keys, names).
     */
    public static Optional<String> problem(String text, boolean multiline) {
        if (text == null) {
            return Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isControl(c) && !(multiline && (c == '\t' || c == '\n' || c == '\r'))) {
                return Optional.of("contains the control character U+" + String.format("%04X", (int) c)
                        + "; control characters are not allowed");
            }
            if (isBidiControl(c)) {
                return Optional.of("contains the bidirectional control character U+" + String.format("%04X", (int) c)
                        + ", which makes text display as something it is not");
            }
        }
        return Optional.empty();
    }
}
