package io.clawmesh.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamedReplyTests {

    private final List<String> pieces = new ArrayList<>();

    private final StreamedReply reply = StreamedReply.to("test", this.pieces::add);

    @Test
    void pieceShouldPassEachNonEmptyPieceOnInOrder() {
        this.reply.piece("Hel");
        this.reply.piece("");
        this.reply.piece("lo");

        assertThat(this.pieces).containsExactly("Hel", "lo");
        assertThat(this.reply.text()).isEqualTo("Hello");
        assertThat(this.reply.finish("Hello")).isEqualTo("Hello");
    }

    @Test
    void upToWithCumulativeTextShouldPassOnlyWhatEachTextAdds() {
        this.reply.upTo("echo: pro");
        this.reply.upTo("echo: pro");
        this.reply.upTo("echo: probe prompt");

        assertThat(this.pieces).containsExactly("echo: pro", "be prompt");
    }

    @Test
    void finishWhenTheFinalTextExtendsTheStreamedTextShouldPassTheRestAndAnswerTheFinalText() {
        this.reply.upTo("echo: pro");

        String whole = this.reply.finish("echo: probe");

        assertThat(whole).isEqualTo("echo: probe").isEqualTo(String.join("", this.pieces));
    }

    @Test
    void finishWhenNothingWasStreamedShouldPassTheFinalTextInOnePiece() {
        assertThat(this.reply.finish("all at once")).isEqualTo("all at once");
        assertThat(this.pieces).containsExactly("all at once");
    }

    @Test
    void upToWhenTheTextIsCorrectedShouldPassNothingUntilItExtendsTheStreamedTextAgain() {
        this.reply.upTo("answer [[marker]]");
        this.reply.upTo("answer");
        this.reply.upTo("answer [[marker]] and more");

        assertThat(this.pieces).containsExactly("answer [[marker]]", " and more");
    }

    @Test
    void finishWhenTheFinalTextCorrectsTheStreamedTextShouldAnswerTheStreamedTextSoTheContractHolds() {
        this.reply.upTo("answer [[marker]]");

        String whole = this.reply.finish("answer");

        assertThat(whole).isEqualTo("answer [[marker]]").isEqualTo(String.join("", this.pieces));
    }

    @Test
    void finishWhenUnstreamedShouldAnswerTheFinalTextAsIs() {
        StreamedReply unstreamed = StreamedReply.unstreamed("test");
        unstreamed.upTo("answer [[marker]]");

        assertThat(unstreamed.finish("answer")).isEqualTo("answer");
    }
}
