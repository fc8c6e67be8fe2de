package io.clawmesh.common.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.node.Capabilities;
import io.clawmesh.common.node.NodeFixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleMatchTests {

    private final Capabilities gpuBox = NodeFixtures.linuxGpu(List.of("fast", "eu"), List.of("docker", "cuda"));

    private final Capabilities smallBox = NodeFixtures.linuxSmall();

    @Test
    void matchesWhenGpuRequiredShouldNeedAGpu() {
        assertThat(RuleFixtures.requiresGpu(true).matches(this.gpuBox)).isTrue();
        assertThat(RuleFixtures.requiresGpu(true).matches(this.smallBox)).isFalse();
    }

    @Test
    void matchesWhenGpuFalseShouldNeedANodeWithoutGpu() {
        assertThat(RuleFixtures.requiresGpu(false).matches(this.smallBox)).isTrue();
        assertThat(RuleFixtures.requiresGpu(false).matches(this.gpuBox)).isFalse();
    }

    @Test
    void matchesWhenOsRequiredShouldCompareTheGoName() {
        assertThat(RuleFixtures.requiresOs("linux").matches(this.gpuBox)).isTrue();
        assertThat(RuleFixtures.requiresOs("darwin").matches(this.gpuBox)).isFalse();
        assertThat(RuleFixtures.requiresOs("darwin").matches(NodeFixtures.macMini()))
                .isTrue();
    }

    @Test
    void matchesWhenArchRequiredShouldCompareTheGoName() {
        assertThat(RuleFixtures.requiresArch("amd64").matches(this.gpuBox)).isTrue();
        assertThat(RuleFixtures.requiresArch("amd64").matches(this.smallBox)).isFalse();
    }

    @Test
    void matchesWhenSkillRequiredShouldAcceptASkill() {
        assertThat(RuleFixtures.requiresSkill("cuda").matches(this.gpuBox)).isTrue();
        assertThat(RuleFixtures.requiresSkill("cuda").matches(this.smallBox)).isFalse();
    }

    @Test
    void matchesWhenSkillRequiredShouldAlsoAcceptATag() {
        assertThat(RuleFixtures.requiresSkill("eu").matches(this.gpuBox)).isTrue();
        assertThat(RuleFixtures.requiresSkill("us").matches(this.gpuBox)).isFalse();
    }

    @Test
    void matchesWhenTagsRequiredShouldNeedAllOfThem() {
        assertThat(RuleFixtures.requiresTags("fast", "eu").matches(this.gpuBox)).isTrue();
        assertThat(RuleFixtures.requiresTags("fast").matches(this.gpuBox)).isTrue();
        assertThat(RuleFixtures.requiresTags("fast", "us").matches(this.gpuBox)).isFalse();
    }

    @Test
    void matchesWhenTagsRequiredShouldNotAcceptSkills() {
        assertThat(RuleFixtures.requiresTags("docker").matches(this.gpuBox)).isFalse();
    }

    @Test
    void matchesWhenMinMemoryShouldAcceptEqualOrMore() {
        assertThat(RuleFixtures.minMemoryGb(64).matches(this.gpuBox)).isTrue();
        assertThat(RuleFixtures.minMemoryGb(65).matches(this.gpuBox)).isFalse();
        assertThat(RuleFixtures.minMemoryGb(8).matches(this.smallBox)).isTrue();
    }

    @Test
    void matchesWhenSeveralFieldsShouldNeedEveryOne() {
        RuleMatch rule = RuleFixtures.linuxGpuDocker();

        assertThat(rule.matches(this.gpuBox)).isTrue();
        assertThat(rule.matches(NodeFixtures.linuxGpu(List.of(), List.of("python"))))
                .isFalse();
        assertThat(rule.matches(new Capabilities("darwin", "arm64", true, 64, List.of(), List.of("docker"))))
                .isFalse();
        assertThat(rule.matches(new Capabilities("linux", "amd64", false, 64, List.of(), List.of("docker"))))
                .isFalse();
    }

    @Test
    void matchesWhenWildcardShouldMatchEveryNode() {
        RuleMatch any = RuleMatch.any();

        assertThat(any.isWildcard()).isTrue();
        assertThat(any.matches(this.gpuBox)).isTrue();
        assertThat(any.matches(this.smallBox)).isTrue();
        assertThat(any.matches(Capabilities.none())).isTrue();
    }

    @Test
    void matchesWhenNodeReportedNothingShouldFailEveryRequirement() {
        assertThat(RuleFixtures.requiresGpu(true).matches(Capabilities.none())).isFalse();
        assertThat(RuleFixtures.requiresOs("linux").matches(Capabilities.none()))
                .isFalse();
        assertThat(RuleFixtures.requiresSkill("docker").matches(Capabilities.none()))
                .isFalse();
        assertThat(RuleFixtures.minMemoryGb(1).matches(Capabilities.none())).isFalse();
    }

    @Test
    void isEmptyWhenOnlyAnEmptyTagListShouldBeTrue() {
        assertThat(RuleFixtures.empty().isEmpty()).isTrue();
        assertThat(RuleFixtures.requiresTags().isEmpty()).isTrue();
        assertThat(RuleFixtures.requiresGpu(false).isEmpty()).isFalse();
        assertThat(RuleFixtures.wildcard(false).isEmpty()).isFalse();
    }
}
