package dev.reprise.orchestrator.api.filters;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The byte scan that lets most JSON bodies skip the full parse ({@link UnsafeInputFilter#mayHoldUnsafeCharacters})
 * never lets through a body the parse would refuse: every character of the first planes (and a sample beyond),
 * raw and as a JSON escape, in a field name and in a value, and the overlong UTF-8 forms of the refused ones.
 */
class UnsafeInputFilterTest {

    @Test
    void everyBodyTheParseRefusesIsParsed() {
        List<String> missed = new ArrayList<>();
        for (int cp = 0; cp < 0x110000; cp = cp < 0x3000 ? cp + 1 : cp + 97) {
            if (cp >= 0xd800 && cp <= 0xdfff) {
                continue;
            }
            String raw = new String(Character.toChars(cp));
            String escaped = String.format("\\u%04X", cp);
            for (String text : List.of(raw, escaped)) {
                for (String body : List.of("{\"a" + text + "\": 1}", "{\"a\": \"x" + text + "y\"}",
                        "[\"" + text + "\"]")) {
                    check(body.getBytes(StandardCharsets.UTF_8), missed);
                }
            }
        }
        for (int cp : new int[] {0, 0x1f, 0x7f, 0x85, 0x9f, 0x202a, 0x202e, 0x2066, 0x2069}) {
            check(overlong(cp, 2), missed);
            check(overlong(cp, 3), missed);
            check(overlong(cp, 4), missed);
        }
        for (String escape : List.of("\\b", "\\f", "\\n", "\\r", "\\t", "\\\\", "\\\"", "\\/")) {
            check(("{\"k" + escape + "\": \"v" + escape + "\"}").getBytes(StandardCharsets.UTF_8), missed);
        }
        assertThat(missed).isEmpty();
    }

    @Test
    void anOrdinaryLogBatchBodyNeedsNoParse() {
        byte[] body = ("{\"run_id\":\"12\",\"metrics\":[{\"key\":\"train/loss\",\"value\":0.25,\"timestamp\":"
                + "1700000000000,\"step\":1}],\r\n\t\"tags\":[{\"key\":\"note\",\"value\":\"caf\u00e9 \u00b5s"
                + " \ud83d\ude80 \u4e2d\"}]}").getBytes(StandardCharsets.UTF_8);
        assertThat(UnsafeInputFilter.mayHoldUnsafeCharacters(body)).isFalse();
        assertThat(UnsafeInputFilter.jsonProblem(body)).isEmpty();
    }

    @Test
    void refusedCharactersAreStillFoundWithTheirField() {
        byte[] body = "{\"tags\":[{\"key\":\"k\",\"value\":\"a\\u0000b\"}]}".getBytes(StandardCharsets.UTF_8);
        assertThat(UnsafeInputFilter.jsonProblem(body)).hasValueSatisfying(p -> {
            assertThat(p[0]).isEqualTo("tags[0].value");
            assertThat(p[1]).contains("U+0000");
        });
        byte[] bidi = "{\"name\":\"ci\u202Egnp.exe\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(UnsafeInputFilter.jsonProblem(bidi)).hasValueSatisfying(p -> assertThat(p[1]).contains("U+202E"));
    }

    private static void check(byte[] body, List<String> missed) {
        if (UnsafeInputFilter.parsedProblem(body).isPresent() && !UnsafeInputFilter.mayHoldUnsafeCharacters(body)) {
            missed.add(new String(body, StandardCharsets.ISO_8859_1));
        }
    }

    /** {"v": "<cp as an overlong UTF-8 sequence of n bytes>"}. */
    private static byte[] overlong(int cp, int n) {
        byte[] seq = new byte[n];
        for (int i = n - 1; i > 0; i--) {
            seq[i] = (byte) (0x80 | (cp & 0x3f));
            cp >>= 6;
        }
        seq[0] = (byte) ((n == 2 ? 0xc0 : n == 3 ? 0xe0 : 0xf0) | cp);
        byte[] head = "{\"v\": \"".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + n + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(seq, 0, out, head.length, n);
        out[head.length + n] = '"';
        out[head.length + n + 1] = '}';
        return out;
    }
}
