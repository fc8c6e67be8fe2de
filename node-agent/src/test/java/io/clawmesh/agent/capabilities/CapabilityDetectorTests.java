package io.clawmesh.agent.capabilities;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.node.Capabilities;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CapabilityDetectorTests {

    private static final long GIB = 1024L * 1024 * 1024;

    @TempDir
    Path bin;

    @TempDir
    Path home;

    private final List<List<String>> probed = new ArrayList<>();

    @Test
    void detectWhenToolsAreOnPathShouldReportTheirSkills() throws IOException {
        executable("docker");
        executable("python3");
        executable("kubectl");
        executable("rustc");
        Files.createFile(this.bin.resolve("node")); // present but not executable: not a skill

        Capabilities capabilities =
                detector("Linux", "amd64", this.bin.toString()).detect();

        assertThat(capabilities.skills()).containsExactly("docker", "python", "rust", "kubernetes");
    }

    @Test
    void detectWhenToolsAreInLaterPathEntriesShouldFindThem() throws IOException {
        Path other = Files.createDirectory(this.home.resolve("tools"));
        Files.setPosixFilePermissions(
                Files.createFile(other.resolve("go")), PosixFilePermissions.fromString("rwxr-xr-x"));
        executable("xcodebuild");

        String path = "/nonexistent-dir" + java.io.File.pathSeparator + this.bin + java.io.File.pathSeparator + other;
        Capabilities capabilities = detector("Mac OS X", "aarch64", path).detect();

        assertThat(capabilities.skills()).containsExactly("xcode", "golang");
    }

    @Test
    void detectWhenOpenClawConfigExistsShouldOfferOpenClawGateway() throws IOException {
        Files.createDirectories(this.home.resolve(".openclaw"));
        Files.writeString(this.home.resolve(".openclaw/openclaw.json"), "{}");

        Capabilities capabilities =
                detector("Linux", "amd64", this.bin.toString()).detect();

        assertThat(capabilities.skills()).containsExactly("openclaw-gateway");
    }

    @Test
    void detectShouldReportMemoryRoundedToGigabytesAndTheTags() {
        CapabilityDetector detector = new CapabilityDetector(
                "Linux",
                "x86_64",
                Map.of("PATH", this.bin.toString()),
                this.home,
                () -> 31 * GIB + GIB * 6 / 10,
                this::probe,
                List.of("lab", "local"));

        Capabilities capabilities = detector.detect();

        assertThat(capabilities.memoryGb()).isEqualTo(32);
        assertThat(capabilities.tags()).containsExactly("lab", "local");
        assertThat(capabilities.os()).isEqualTo("linux");
        assertThat(capabilities.arch()).isEqualTo("amd64");
    }

    @Test
    void detectWhenNvidiaSmiIsOnPathAndSucceedsShouldReportGpu() throws IOException {
        Path smi = executable("nvidia-smi");

        Capabilities capabilities =
                detector("Linux", "amd64", this.bin.toString()).detect();

        assertThat(capabilities.gpu()).isTrue();
        assertThat(this.probed).containsExactly(List.of(smi.toString(), "-L"));
    }

    @Test
    void detectWhenNvidiaSmiIsMissingShouldNotRunAnythingAndReportNoGpu() {
        Capabilities capabilities =
                detector("Linux", "amd64", this.bin.toString()).detect();

        assertThat(capabilities.gpu()).isFalse();
        assertThat(this.probed).isEmpty();
    }

    @Test
    void detectWhenAppleSiliconShouldReportGpu() {
        Capabilities capabilities =
                detector("Mac OS X", "aarch64", this.bin.toString()).detect();

        assertThat(capabilities.gpu()).isTrue();
        assertThat(capabilities.os()).isEqualTo("darwin");
        assertThat(capabilities.arch()).isEqualTo("arm64");
    }

    @ParameterizedTest
    @CsvSource({"x86_64,amd64", "amd64,amd64", "aarch64,arm64", "arm64,arm64", "x86,386", "i686,386", "arm,arm"})
    void goArchWhenGivenJvmArchShouldAnswerGoName(String jvm, String go) {
        assertThat(CapabilityDetector.goArch(jvm)).isEqualTo(go);
    }

    @ParameterizedTest
    @CsvSource({"Linux,linux", "Mac OS X,darwin", "Windows 11,windows", "Windows Server 2022,windows"})
    void goOsWhenGivenJvmOsNameShouldAnswerGoName(String jvm, String go) {
        assertThat(CapabilityDetector.goOs(jvm)).isEqualTo(go);
    }

    private CapabilityDetector detector(String os, String arch, String path) {
        return new CapabilityDetector(os, arch, Map.of("PATH", path), this.home, () -> 8 * GIB, this::probe, List.of());
    }

    private boolean probe(List<String> command, Duration timeout) {
        this.probed.add(command);
        return timeout.compareTo(Duration.ofSeconds(3)) <= 0;
    }

    private Path executable(String name) throws IOException {
        Path file = Files.createFile(this.bin.resolve(name));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
