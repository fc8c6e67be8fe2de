package io.clawmesh.common.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.clawmesh.common.node.InvalidInputException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RuleValidatorTests {

    @Test
    void validateWhenMatchMissingShouldExplainWhatARuleNeeds() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> RuleValidator.validate(new RuleRequest(null, null, null)))
                .withMessageStartingWith("rule needs a match with at least one of")
                .withMessageContaining("wildcard: true");
    }

    @Test
    void validateWhenMatchEmptyShouldRefuse() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> RuleValidator.validate(RuleFixtures.request(RuleFixtures.empty())))
                .withMessageContaining("requires_gpu, requires_os, requires_skill");
    }

    @Test
    void validateWhenOnlyAnEmptyTagListShouldRefuseAsEmpty() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> RuleValidator.validate(RuleFixtures.request(RuleFixtures.requiresTags())))
                .withMessageStartingWith("rule needs a match");
    }

    @Test
    void validateWhenWildcardWithAnotherFieldShouldRefuse() {
        RuleMatch match = new RuleMatch(null, "linux", null, true, null, null, null);

        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> RuleValidator.validate(RuleFixtures.request(match)))
                .withMessage("wildcard: true cannot be combined with other requirements");
    }

    @Test
    void validateWhenWildcardWithGpuFalseShouldRefuse() {
        RuleMatch match = new RuleMatch(false, null, null, true, null, null, null);

        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> RuleValidator.validate(RuleFixtures.request(match)))
                .withMessage("wildcard: true cannot be combined with other requirements");
    }

    @Test
    void validateWhenWildcardWithTargetShouldRefuse() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() ->
                        RuleValidator.validate(RuleFixtures.request(RuleFixtures.wildcard(true), "mac-mini", null)))
                .withMessage("a wildcard rule has no target; use a rule with requirements to target a node");
    }

    @Test
    void validateWhenWildcardFalseShouldRefuse() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> RuleValidator.validate(RuleFixtures.request(RuleFixtures.wildcard(false))))
                .withMessage("wildcard: false matches nothing; leave it out or set it to true");
    }

    @Test
    void validateWhenWildcardTrueShouldAnswerTheCanonicalWildcard() {
        RuleRequest valid =
                RuleValidator.validate(RuleFixtures.request(RuleFixtures.wildcard(true), null, Strategy.ROUND_ROBIN));

        assertThat(valid.match()).isEqualTo(RuleMatch.any());
        assertThat(valid.target()).isNull();
        assertThat(valid.strategy()).isEqualTo(Strategy.ROUND_ROBIN);
    }

    @Test
    void validateWhenUnknownOsShouldListTheKnownOnes() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> RuleValidator.validate(RuleFixtures.request(RuleFixtures.requiresOs("macos"))))
                .withMessage("requires_os 'macos' is not one of darwin, freebsd, linux, windows");
    }

    @Test
    void validateWhenUnknownArchShouldListTheKnownOnes() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> RuleValidator.validate(RuleFixtures.request(RuleFixtures.requiresArch("x86_64"))))
                .withMessage("requires_arch 'x86_64' is not one of 386, amd64, arm, arm64, ppc64le, riscv64, s390x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "two words", "docker;rm", "ünïcode"})
    void validateWhenSkillNameIsBadShouldRefuse(String skill) {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> RuleValidator.validate(RuleFixtures.request(RuleFixtures.requiresSkill(skill))))
                .withMessageStartingWith("requires_skill");
    }

    @Test
    void validateWhenSkillNameTooLongShouldSayTheAllowedShape() {
        String skill = "s".repeat(64);

        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> RuleValidator.validate(RuleFixtures.request(RuleFixtures.requiresSkill(skill))))
                .withMessage(
                        "requires_skill '" + skill + "' must be 1-63 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65537})
    void validateWhenMinMemoryOutOfBoundsShouldRefuse(int gb) {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> RuleValidator.validate(RuleFixtures.request(RuleFixtures.minMemoryGb(gb))))
                .withMessage("min_memory_gb must be between 1 and 65536, not " + gb);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 65536})
    void validateWhenMinMemoryOnTheBoundsShouldAccept(int gb) {
        RuleRequest valid = RuleValidator.validate(RuleFixtures.request(RuleFixtures.minMemoryGb(gb)));

        assertThat(valid.match().minMemoryGb()).isEqualTo(gb);
    }

    @Test
    void validateWhenTagsRepeatShouldDeduplicateKeepingOrder() {
        RuleRequest valid =
                RuleValidator.validate(RuleFixtures.request(RuleFixtures.requiresTags("gpu", "eu", "gpu", "eu", "x")));

        assertThat(valid.match().requiresTags()).containsExactly("gpu", "eu", "x");
    }

    @Test
    void validateWhenATagIsBadShouldNameIt() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(
                        () -> RuleValidator.validate(RuleFixtures.request(RuleFixtures.requiresTags("ok", "not ok"))))
                .withMessageStartingWith("requires_tags entry 'not ok'");
    }

    @Test
    void validateWhenTooManyTagsShouldRefuse() {
        String[] tags = new String[65];
        Arrays.setAll(tags, (i) -> "t" + i);

        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> RuleValidator.validate(RuleFixtures.request(RuleFixtures.requiresTags(tags))))
                .withMessage("requires_tags has 65 entries; at most 64 are allowed");
    }

    @Test
    void validateWhenNoStrategyShouldDefaultToLeastBusy() {
        RuleRequest valid = RuleValidator.validate(RuleFixtures.request(RuleFixtures.requiresGpu(true)));

        assertThat(valid.strategy()).isEqualTo(Strategy.LEAST_BUSY);
    }

    @Test
    void validateWhenStrategyGivenShouldKeepIt() {
        RuleRequest valid =
                RuleValidator.validate(RuleFixtures.request(RuleFixtures.requiresGpu(true), "gpu-1", Strategy.STICKY));

        assertThat(valid.strategy()).isEqualTo(Strategy.STICKY);
        assertThat(valid.target()).isEqualTo("gpu-1");
    }

    @Test
    void validateWhenTargetIsBadShouldRefuse() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> RuleValidator.validate(
                        RuleFixtures.request(RuleFixtures.requiresGpu(true), "http://evil", null)))
                .withMessageStartingWith("target 'http://evil' must be 1-63 characters");
    }

    @Test
    void validateWhenValidShouldKeepEveryRequirement() {
        RuleMatch match = new RuleMatch(true, "linux", "docker", null, "amd64", List.of("eu"), 16);

        RuleRequest valid = RuleValidator.validate(RuleFixtures.request(match));

        assertThat(valid.match()).isEqualTo(match);
    }

    @Test
    void fromWireWhenUnknownStrategyShouldListTheKnownOnes() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> Strategy.fromWire("fastest"))
                .withMessage(
                        "unknown strategy 'fastest' (expected least-busy, round-robin, random, weighted or sticky)");
        assertThat(Strategy.fromWire("round-robin")).isEqualTo(Strategy.ROUND_ROBIN);
    }
}
