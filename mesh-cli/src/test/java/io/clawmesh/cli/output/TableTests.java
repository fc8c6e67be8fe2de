package io.clawmesh.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.node.NodeStatus;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class TableTests {

    @Test
    void tableShouldPadColumnsToTheWidestCell() {
        String text = new Table("A", "LONGER", "C")
                .row("wide-cell", "x", "last")
                .row("y", "z", "")
                .toString();

        assertThat(text).isEqualTo("A          LONGER  C\nwide-cell  x       last\ny          z\n");
    }

    @Test
    void stylesShouldNotBreakAlignment() {
        UnaryOperator<String> red = new Style(true).status(NodeStatus.OFFLINE);
        String text = new Table("S", "N")
                .row(List.of("ok", "1"), List.of(red, UnaryOperator.identity()))
                .toString();

        assertThat(text).isEqualTo("S   N\n\u001b[31mok\u001b[0m  1\n");
        assertThat(new Style(false).status(NodeStatus.OFFLINE).apply("ok")).isEqualTo("ok");
    }

    @Test
    void agoShouldUseTheLargestWholeUnit() {
        Instant now = Instant.parse("2026-11-24T03:00:00Z");
        assertThat(Ago.of(now.minusSeconds(12), now)).isEqualTo("12s ago");
        assertThat(Ago.of(now.minusSeconds(185), now)).isEqualTo("3m ago");
        assertThat(Ago.of(now.minusSeconds(7300), now)).isEqualTo("2h ago");
        assertThat(Ago.of(now.minusSeconds(200_000), now)).isEqualTo("2d ago");
        assertThat(Ago.of(null, now)).isEqualTo("never");
        assertThat(Ago.of(now.plusSeconds(3), now)).isEqualTo("0s ago");
    }
}
