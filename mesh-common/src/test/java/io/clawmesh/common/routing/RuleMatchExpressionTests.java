package io.clawmesh.common.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.clawmesh.common.node.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleMatchExpressionTests {

    @Test
    void parseWhenGoSyntaxShouldSetTheGoFields() {
        assertThat(RuleMatchExpression.parse("gpu:true")).isEqualTo(RuleFixtures.requiresGpu(true));
        assertThat(RuleMatchExpression.parse("os:linux").requiresOs()).isEqualTo("linux");
        assertThat(RuleMatchExpression.parse("skill:docker").requiresSkill()).isEqualTo("docker");
    }

    @Test
    void parseWhenSeveralPairsShouldCombineThem() {
        RuleMatch match = RuleMatchExpression.parse(" os:Linux , arch:arm64,tag:eu,tag:fast,memory:16,gpu:false");
        assertThat(match).isEqualTo(new RuleMatch(false, "linux", null, null, "arm64", List.of("eu", "fast"), 16));
    }

    @Test
    void parseWhenJsonNamesShouldAcceptThem() {
        assertThat(RuleMatchExpression.parse("requires_gpu:true,requires_os:darwin,min_memory_gb:8"))
                .isEqualTo(new RuleMatch(true, "darwin", null, null, null, null, 8));
    }

    @Test
    void parseWhenStarOrWildcardShouldMatchEverything() {
        assertThat(RuleMatchExpression.parse("*")).isEqualTo(RuleMatch.any());
        assertThat(RuleMatchExpression.parse("wildcard:true")).isEqualTo(RuleMatch.any());
    }

    @Test
    void parseWhenMalformedShouldSayWhatIsWrong() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> RuleMatchExpression.parse("gpu"))
                .withMessageContaining("'gpu'")
                .withMessageContaining("key:value");
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> RuleMatchExpression.parse("colour:red"))
                .withMessageContaining("unknown match key 'colour'");
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> RuleMatchExpression.parse("gpu:maybe"))
                .withMessageContaining("true or false");
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> RuleMatchExpression.parse("memory:lots"))
                .withMessageContaining("whole number");
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> RuleMatchExpression.parse("os:linux,os:darwin"))
                .withMessageContaining("given twice");
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> RuleMatchExpression.parse(" "))
                .withMessageContaining("empty");
    }

    @Test
    void formatShouldWriteWhatParseReads() {
        for (String expression :
                List.of("*", "gpu:true", "os:linux,skill:docker", "gpu:false,arch:arm64,tag:a,tag:b,memory:4")) {
            assertThat(RuleMatchExpression.format(RuleMatchExpression.parse(expression)))
                    .isEqualTo(expression);
        }
    }
}
