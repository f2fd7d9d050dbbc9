package dev.reprise.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineAssemblerTest {

    private final List<String> lines = new ArrayList<>();
    private final LineAssembler assembler = new LineAssembler(16, lines::add);

    @Test
    void joinsLinesSplitAcrossReadsIncludingMultiByteCharacters() {
        byte[] bytes = "héllo\nwörld\n".getBytes(StandardCharsets.UTF_8);

        for (byte b : bytes) {
            assembler.accept(new byte[] {b}, 0, 1);
        }

        assertThat(lines).containsExactly("héllo", "wörld");
    }

    @Test
    void dropsCarriageReturnsAndKeepsWhatATerminalWouldShow() {
        feed("a\r\n10%\r50%\r100%\n");

        assertThat(lines).containsExactly("a", "100%");
    }

    @Test
    void cutsOverlongLinesAndResumesAfterTheirNewline() {
        feed("0123456789abcdefXYZ\nnext\n");

        assertThat(lines).containsExactly("0123456789abcdef", "next");
    }

    @Test
    void emitsUnterminatedLastLineAtEndOfStream() {
        feed("done");
        assertThat(lines).isEmpty();

        assembler.finish();

        assertThat(lines).containsExactly("done");
    }

    private void feed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assembler.accept(bytes, 0, bytes.length);
    }
}
