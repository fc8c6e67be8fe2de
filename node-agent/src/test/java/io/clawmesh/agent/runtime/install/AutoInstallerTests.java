package io.clawmesh.agent.runtime.install;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which runtime {@code --auto-install} picks for a machine. */
class AutoInstallerTests {

    private static final long GIB = 1024L * 1024 * 1024;

    @Test
    void chooseWithRecentNodeNpmAndFreeMemoryShouldPickOpenClaw() {
        AutoInstaller.Choice choice = AutoInstaller.choose("v22.16.0\n", true, 2 * GIB);

        assertThat(choice.kind()).isEqualTo("openclaw");
        assertThat(choice.reason()).isEqualTo("Node.js v22.16.0 and 2048 MiB of free memory");
        assertThat(AutoInstaller.choose("v26.10.0", true, GIB).kind()).isEqualTo("openclaw");
    }

    @Test
    void chooseWithoutNodeShouldPickZeroClaw() {
        assertThat(AutoInstaller.choose(null, false, 8 * GIB))
                .isEqualTo(new AutoInstaller.Choice("zeroclaw", "Node.js is not installed, which OpenClaw needs"));
    }

    @Test
    void chooseWithOldNodeShouldPickZeroClawAndSayWhy() {
        assertThat(AutoInstaller.choose("v22.15.1", true, 8 * GIB).reason())
                .isEqualTo("Node.js v22.15.1 is older than the 22.16 OpenClaw needs");
        assertThat(AutoInstaller.choose("v20.19.0", true, 8 * GIB).kind()).isEqualTo("zeroclaw");
    }

    @Test
    void chooseWithoutNpmOrMemoryShouldPickZeroClaw() {
        assertThat(AutoInstaller.choose("v24.1.0", false, 8 * GIB).reason())
                .isEqualTo("npm is not on PATH, which installing OpenClaw needs");
        assertThat(AutoInstaller.choose("v24.1.0", true, 700L * 1024 * 1024).reason())
                .isEqualTo("only 700 MiB of memory are free; OpenClaw needs about 1 GB");
    }

    @Test
    void chooseWithAnUnreadableVersionShouldPickZeroClaw() {
        assertThat(AutoInstaller.choose("nightly", true, 8 * GIB).kind()).isEqualTo("zeroclaw");
    }
}
