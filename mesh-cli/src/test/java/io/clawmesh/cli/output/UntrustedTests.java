package io.clawmesh.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Which characters reach the terminal as they are and which are shown as escapes. */
class UntrustedTests {

    private static final String HOSTILE = "a\u001b[2J\nb\tc\rd\u0007e\u007ff\u009bg\u0000h";

    @Test
    void cellShouldEscapeEveryControlCharacter() {
        assertThat(Untrusted.cell(HOSTILE)).isEqualTo("a\\u001b[2J\\nb\\tc\\rd\\u0007e\\u007ff\\u009bg\\u0000h");
    }

    @Test
    void textShouldKeepNewlinesAndTabsOnly() {
        assertThat(Untrusted.text(HOSTILE)).isEqualTo("a\\u001b[2J\nb\tc\\rd\\u0007e\\u007ff\\u009bg\\u0000h");
    }

    @Test
    void cellAndTextShouldLeaveOrdinaryTextAloneUnicodeIncluded() {
        String plain = "Grüße, 世界 — ok";

        assertThat(Untrusted.cell(plain)).isSameAs(plain);
        assertThat(Untrusted.text(plain)).isSameAs(plain);
    }

    @Test
    void jsonLineShouldStayValidJsonWithTheSameValue() {
        String raw =
                "{\"name\":\"" + HOSTILE.replace("\n", "").replace("\t", "").replace("\r", "") + "\"}";

        String line = Untrusted.jsonLine(raw);

        assertThat(line).doesNotContain("\u001b", "\u007f", "\u009b", "\u0000");
        assertThat(JsonMapper.builder().build().readTree(line).get("name").asString())
                .isEqualTo("a\u001b[2Jbcd\u0007e\u007ff\u009bg\u0000h");
    }
}
