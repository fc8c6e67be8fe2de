package io.clawmesh.common.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class BodyPiecesTests {

    @Test
    void splitWhenTextIsLongerThanAPieceShouldCutItIntoBoundedPiecesThatJoinToTheText() {
        String text = "abcdefghij".repeat(5);
        List<String> pieces = BodyPieces.split(text, 16);
        assertThat(pieces)
                .hasSize(4)
                .allSatisfy((piece) -> assertThat(piece.length()).isLessThanOrEqualTo(16));
        assertThat(String.join("", pieces)).isEqualTo(text);
    }

    @Test
    void splitWhenAPieceWouldEndInsideASurrogatePairShouldKeepThePairTogether() {
        String text = "a" + "😀".repeat(10);
        List<String> pieces = BodyPieces.split(text, 4);
        assertThat(String.join("", pieces)).isEqualTo(text);
        assertThat(pieces).allSatisfy((piece) -> {
            assertThat(Character.isHighSurrogate(piece.charAt(piece.length() - 1)))
                    .isFalse();
            assertThat(piece.getBytes(StandardCharsets.UTF_8))
                    .isEqualTo(new String(piece.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
                            .getBytes(StandardCharsets.UTF_8));
        });
    }

    @Test
    void splitWhenEmptyShouldAnswerNoPieces() {
        assertThat(BodyPieces.split("", 16)).isEmpty();
        assertThat(BodyPieces.split(new byte[0], 16)).isEmpty();
    }

    @Test
    void splitWhenMaxCharsIsBelowTwoShouldRefuse() {
        assertThatIllegalArgumentException().isThrownBy(() -> BodyPieces.split("abc", 1));
    }

    @Test
    void completeLengthWhenBytesEndInsideAUtf8SequenceShouldLeaveTheSequenceOut() {
        byte[] euro = "a€".getBytes(StandardCharsets.UTF_8); // 'a' then 3 bytes
        assertThat(BodyPieces.completeLength(euro, 4)).isEqualTo(4);
        assertThat(BodyPieces.completeLength(euro, 3)).isEqualTo(1);
        assertThat(BodyPieces.completeLength(euro, 2)).isEqualTo(1);
        assertThat(BodyPieces.completeLength(euro, 1)).isEqualTo(1);
        byte[] emoji = "😀".getBytes(StandardCharsets.UTF_8);
        assertThat(BodyPieces.completeLength(emoji, 3)).isZero();
        assertThat(BodyPieces.completeLength(emoji, 4)).isEqualTo(4);
    }

    @Test
    void completeLengthWhenStreamedInRandomCutsShouldReassembleTheText() {
        String text = "héllo wörld € 😀 ".repeat(50);
        byte[] all = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        byte[] buffer = new byte[all.length];
        int size = 0;
        for (int i = 0; i < all.length; i += 7) {
            int count = Math.min(7, all.length - i);
            System.arraycopy(all, i, buffer, size, count);
            size += count;
            int complete = BodyPieces.completeLength(buffer, size);
            out.append(new String(buffer, 0, complete, StandardCharsets.UTF_8));
            buffer = Arrays.copyOfRange(buffer, complete, buffer.length + complete);
            size -= complete;
        }
        out.append(new String(buffer, 0, size, StandardCharsets.UTF_8));
        assertThat(out).hasToString(text);
    }

    @Test
    void frameWhenSerialisedShouldLeaveOutAbsentFieldsAndReadBackEqual() {
        JsonMapper json = JsonMapper.builder().build();
        LinkFrame frame = LinkFrame.body("x1", "data");
        String text = json.writeValueAsString(frame);
        assertThat(text).isEqualTo("{\"type\":\"body\",\"id\":\"x1\",\"data\":\"data\"}");
        assertThat(json.readValue(text, LinkFrame.class)).isEqualTo(frame);
    }
}
