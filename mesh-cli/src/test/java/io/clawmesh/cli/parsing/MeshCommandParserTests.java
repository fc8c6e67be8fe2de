package io.clawmesh.cli.parsing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.clawmesh.cli.support.UsageException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeshCommandParserTests {

    @Test
    void splitShouldGroupQuotesLikeAShell() {
        assertThat(CommandLineWords.split("send --auto \"hello mesh\" 'it''s' a\\ b"))
                .containsExactly("send", "--auto", "hello mesh", "its", "a b");
        assertThatExceptionOfType(UsageException.class).isThrownBy(() -> CommandLineWords.split("send \"open"));
    }

    @Test
    void globalOptionsShouldBeFoundAnywhere() {
        GlobalOptions.Split split = GlobalOptions.split(
                List.of("--coordinator", "http://x:1", "nodes", "-o", "json", "--token=t", "--", "--config"));

        assertThat(split.options()).isEqualTo(new GlobalOptions("http://x:1", "t", null, "json", null));
        assertThat(split.rest()).containsExactly("nodes", "--", "--config");
    }

    @Test
    void globalOptionWithoutValueShouldBeAUsageError() {
        assertThatExceptionOfType(UsageException.class)
                .isThrownBy(() -> GlobalOptions.split(List.of("nodes", "--token")))
                .withMessage("--token needs a value");
    }
}
