package io.clawmesh.agent.runtime.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.clawmesh.agent.runtime.RuntimeContext;
import io.clawmesh.agent.runtime.RuntimeFixtures;
import io.clawmesh.agent.runtime.RuntimeSelector;
import io.clawmesh.agent.runtime.zeroclaw.FakeZeroClawMain;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ZeroClaw installer against a local https release server (a self-signed certificate the test client trusts):
 * pinned tag and digest, binary-only install into a temporary bin dir (never the real {@code ~/.local/bin}), start with
 * {@code zeroclaw daemon} in a cleaned environment and wait for {@code /health}. The "binary" in the tarball is a
 * script that runs {@link FakeZeroClawMain}, a real separate process.
 */
class ZeroClawInstallerTests {

    private static final String TARGET = "x86_64-unknown-linux-gnu";

    private static final String ASSET = "zeroclaw-" + TARGET + ".tar.gz";

    private static final String VERSION = "v0.8.4";

    /** The agent's environment; an empty PATH, so the machine's own zeroclaw, if any, does not count as installed. */
    private final Map<String, String> agentEnv = new HashMap<>(Map.of("PATH", "/nonexistent", "HOME", "/nonexistent"));

    private final ReleaseServer releases = new ReleaseServer();

    @TempDir
    Path binDir;

    @TempDir
    Path dataDir;

    private RuntimeSelector.Installed installed;

    @AfterEach
    void stop() throws Exception {
        if (this.installed != null) {
            this.installed.process().close();
        }
        this.releases.close();
    }

    @Test
    void installShouldVerifyInstallOnlyTheBinaryStartTheDaemonAndStopItOnClose() throws Exception {
        byte[] tarball = release(fakeBinary());
        this.releases.serve(ASSET, tarball).serve("SHA256SUMS", sums(ReleaseServer.sha256(tarball)));
        Path bin = this.binDir.resolve("bin");
        int port = LocalPorts.freePort();

        this.installed = installer(bin, port, ReleaseServer.sha256(tarball)).install(context());

        assertThat(listing(bin)).containsExactly("zeroclaw");
        assertThat(Files.isExecutable(bin.resolve("zeroclaw"))).isTrue();
        assertThat(this.releases.requests)
                .as("the pinned tag, and no SHA256SUMS")
                .containsExactly(VERSION + "/" + ASSET);
        assertThat(this.installed.kind()).isEqualTo("zeroclaw");
        assertThat(this.installed.endpoint()).isEqualTo("127.0.0.1:" + port);
        assertThat(LocalPorts.status(port, "/health")).isEqualTo(200);
        assertThat(this.dataDir.resolve("zeroclaw-daemon.log"))
                .content()
                .contains("fake zeroclaw daemon on 127.0.0.1:" + port)
                .contains("request_timeout_secs=300");

        this.installed.process().close();
        assertThat(LocalPorts.status(port, "/health")).isEqualTo(-1);
    }

    @Test
    void installWhenUnpinnedButAllowedShouldVerifyAgainstTheTagsSha256Sums() throws Exception {
        byte[] tarball = release(fakeBinary());
        this.releases.serve(ASSET, tarball).serve("SHA256SUMS", sums(ReleaseServer.sha256(tarball)));
        Path bin = this.binDir.resolve("bin");

        this.installed = installer(bin, LocalPorts.freePort(), null, true).install(context());

        assertThat(this.releases.requests).containsExactly(VERSION + "/" + ASSET, VERSION + "/SHA256SUMS");
        assertThat(listing(bin)).containsExactly("zeroclaw");
    }

    @Test
    void installWhenTheReleaseWasReplacedTogetherWithItsSumsShouldRefuseAgainstThePinnedDigest() throws Exception {
        byte[] genuine = release(fakeBinary());
        byte[] evil = release("#!/bin/sh\necho pwned\n");
        this.releases.serve(ASSET, evil).serve("SHA256SUMS", sums(ReleaseServer.sha256(evil)));
        Path bin = this.binDir.resolve("bin");
        Set<String> tempBefore = tempDirs();

        assertThatExceptionOfType(InstallFailedException.class)
                .isThrownBy(() -> installer(bin, LocalPorts.freePort(), ReleaseServer.sha256(genuine))
                        .install(context()))
                .withMessageContaining(
                        "checksum mismatch for " + ASSET + ": the pinned mesh.agent.install.zeroclaw-sha256 says "
                                + ReleaseServer.sha256(genuine) + ", the download has " + ReleaseServer.sha256(evil))
                .withMessageContaining("nothing was installed");
        assertThat(bin).doesNotExist();
        assertThat(this.releases.requests).as("SHA256SUMS is not asked").containsExactly(VERSION + "/" + ASSET);
        assertThat(tempDirs()).as("downloads cleaned up").isEqualTo(tempBefore);
    }

    @Test
    void installWhenNoDigestIsPinnedShouldRefuseBeforeDownloadingAnything() {
        byte[] tarball = release(fakeBinary());
        this.releases.serve(ASSET, tarball).serve("SHA256SUMS", sums(ReleaseServer.sha256(tarball)));
        Path bin = this.binDir.resolve("bin");

        assertThatExceptionOfType(InstallFailedException.class)
                .isThrownBy(
                        () -> installer(bin, LocalPorts.freePort(), null, false).install(context()))
                .withMessageContaining("no SHA-256 is pinned for " + ASSET + " of ZeroClaw " + VERSION)
                .withMessageContaining("mesh.agent.install.zeroclaw-sha256")
                .withMessageContaining("mesh.agent.install.zeroclaw-allow-unpinned=true");
        assertThat(this.releases.requests).isEmpty();
        assertThat(bin).doesNotExist();
    }

    @Test
    void installWhenTheReleaseUrlIsPlainHttpShouldRefuseBeforeDownloadingAnything() {
        byte[] tarball = release(fakeBinary());
        try (ReleaseServer plain = ReleaseServer.plainHttp()) {
            plain.serve(ASSET, tarball).serve("SHA256SUMS", sums(ReleaseServer.sha256(tarball)));
            Path bin = this.binDir.resolve("bin");

            assertThatExceptionOfType(InstallFailedException.class)
                    .isThrownBy(() -> installer(
                                    plain.url(), bin, LocalPorts.freePort(), ReleaseServer.sha256(tarball), true)
                            .install(context()))
                    .withMessageContaining("refusing to download " + plain.url() + "/" + VERSION + "/" + ASSET)
                    .withMessageContaining("must be an https:// URL")
                    .withMessageContaining("nothing was downloaded");
            assertThat(plain.requests).isEmpty();
            assertThat(bin).doesNotExist();
        }
    }

    @Test
    void installWhenTheChecksumDoesNotMatchShouldAbortWithoutInstallingAnything() throws Exception {
        byte[] tarball = release(fakeBinary());
        this.releases.serve(ASSET, tarball).serve("SHA256SUMS", sums("0".repeat(64)));
        Path bin = this.binDir.resolve("bin");
        Set<String> tempBefore = tempDirs();

        assertThatExceptionOfType(InstallFailedException.class)
                .isThrownBy(
                        () -> installer(bin, LocalPorts.freePort(), null, true).install(context()))
                .withMessageContaining("checksum mismatch for " + ASSET + ": SHA256SUMS says " + "0".repeat(64))
                .withMessageContaining("nothing was installed")
                .withMessageContaining(
                        "To do it by hand: curl -fLO " + this.releases.url() + "/" + VERSION + "/" + ASSET);
        assertThat(bin).doesNotExist();
        assertThat(tempDirs()).as("downloads cleaned up").isEqualTo(tempBefore);
    }

    @Test
    void installWhenSha256SumsLacksTheAssetShouldAbort() {
        byte[] tarball = release(fakeBinary());
        this.releases
                .serve(ASSET, tarball)
                .serve("SHA256SUMS", (ReleaseServer.sha256(tarball) + "  zeroclaw-other.tar.gz\n").getBytes());
        Path bin = this.binDir.resolve("bin");

        assertThatExceptionOfType(InstallFailedException.class)
                .isThrownBy(
                        () -> installer(bin, LocalPorts.freePort(), null, true).install(context()))
                .withMessageContaining("SHA256SUMS has no line for " + ASSET);
        assertThat(bin).doesNotExist();
    }

    @Test
    void installWhenThereIsNoReleaseForThePlatformShouldSaySo() {
        Path bin = this.binDir.resolve("bin");

        assertThatExceptionOfType(InstallFailedException.class)
                .isThrownBy(() ->
                        installer(bin, LocalPorts.freePort(), "a".repeat(64)).install(context()))
                .withMessageContaining(ASSET + " answered 404")
                .withMessageContaining("is there a ZeroClaw release for " + TARGET);
        assertThat(bin).doesNotExist();
    }

    @Test
    void installWhenTheDaemonDiesAtStartShouldSayHowToStartItByHand() throws Exception {
        byte[] tarball = release("#!/bin/sh\necho 'config error: no provider' >&2\nexit 3\n");
        this.releases.serve(ASSET, tarball);
        Path bin = this.binDir.resolve("bin");
        int port = LocalPorts.freePort();

        assertThatExceptionOfType(InstallFailedException.class)
                .isThrownBy(() ->
                        installer(bin, port, ReleaseServer.sha256(tarball)).install(context()))
                .withMessageContaining("zeroclaw exited with code 3 before it was healthy")
                .withMessageContaining("config error: no provider")
                .withMessageContaining(
                        "To do it by hand: " + bin.resolve("zeroclaw") + " daemon -p " + port + " --host 127.0.0.1");
    }

    @Test
    void installWhenZeroClawIsAlreadyInTheBinDirShouldNotDownloadIt() throws Exception {
        Files.writeString(this.binDir.resolve("zeroclaw"), fakeBinary());
        Files.setPosixFilePermissions(
                this.binDir.resolve("zeroclaw"), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        int port = LocalPorts.freePort();

        this.installed = installer(this.binDir, port, null, false).install(context());

        assertThat(this.releases.requests).isEmpty();
        assertThat(LocalPorts.status(port, "/health")).isEqualTo(200);
    }

    @Test
    void installShouldStartTheDaemonWithoutTheAgentsSecretsInItsEnvironment() throws Exception {
        Path dump = this.dataDir.resolve("daemon-env.txt");
        Files.writeString(
                this.binDir.resolve("zeroclaw"), fakeBinary().replaceFirst("\n", "\n/usr/bin/env > '" + dump + "'\n"));
        Files.setPosixFilePermissions(
                this.binDir.resolve("zeroclaw"), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        this.agentEnv.put("CLAW_MESH_TOKEN", "cmo_operator-secret");
        this.agentEnv.put("MESH_AGENT_TOKEN", "cmn_node-secret");
        this.agentEnv.put("SPRING_APPLICATION_JSON", "{\"mesh\":{\"agent\":{\"token\":\"cmn_json-secret\"}}}");
        this.agentEnv.put("AWS_SECRET_ACCESS_KEY", "not-for-runtimes");
        this.agentEnv.put("LC_ALL", "C.UTF-8");
        this.agentEnv.put("ZEROCLAW_config_dir", "/srv/zeroclaw");
        int port = LocalPorts.freePort();

        this.installed = installer(this.binDir, port, null, false).install(context());

        String env = Files.readString(dump);
        assertThat(env.lines())
                .contains(
                        "PATH=/nonexistent",
                        "LC_ALL=C.UTF-8",
                        "ZEROCLAW_config_dir=/srv/zeroclaw",
                        "ZEROCLAW_gateway__port=" + port);
        assertThat(env).doesNotContain("cmo_operator-secret", "cmn_node-secret", "cmn_json-secret", "not-for-runtimes");
        assertThat(env.lines()).noneMatch((line) -> line.startsWith("CLAW_MESH_") || line.startsWith("MESH_"));
    }

    @Test
    void targetShouldNameTheReleaseAssetOfThePlatform() {
        assertThat(ZeroClawInstaller.target("Linux", "amd64", false)).isEqualTo("x86_64-unknown-linux-gnu");
        assertThat(ZeroClawInstaller.target("Linux", "aarch64", true)).isEqualTo("aarch64-unknown-linux-musl");
        assertThat(ZeroClawInstaller.target("Linux", "arm", false)).isEqualTo("armv7-unknown-linux-gnueabihf");
        assertThat(ZeroClawInstaller.target("Mac OS X", "aarch64", false)).isEqualTo("aarch64-apple-darwin");
        assertThat(ZeroClawInstaller.target("Mac OS X", "x86_64", false)).isEqualTo("x86_64-apple-darwin");
        assertThatExceptionOfType(InstallFailedException.class)
                .isThrownBy(() -> ZeroClawInstaller.target("Windows 11", "amd64", false))
                .withMessageContaining("no ZeroClaw release tarball for Windows 11/amd64");
    }

    @Test
    void expectedSumShouldReadBothSha256sumFormats() {
        List<String> lines = List.of("abc123  zeroclaw-a.tar.gz", "DEF456 *zeroclaw-b.tar.gz", "");

        assertThat(ZeroClawInstaller.expectedSum(lines, "zeroclaw-a.tar.gz")).isEqualTo("abc123");
        assertThat(ZeroClawInstaller.expectedSum(lines, "zeroclaw-b.tar.gz")).isEqualTo("def456");
        assertThat(ZeroClawInstaller.expectedSum(lines, "zeroclaw-c.tar.gz")).isNull();
    }

    private ZeroClawInstaller installer(Path bin, int port, String sha256) {
        return installer(bin, port, sha256, false);
    }

    private ZeroClawInstaller installer(Path bin, int port, @Nullable String sha256, boolean allowUnpinned) {
        return installer(this.releases.url(), bin, port, sha256, allowUnpinned);
    }

    private ZeroClawInstaller installer(
            String releaseUrl, Path bin, int port, @Nullable String sha256, boolean allowUnpinned) {
        InstallProperties properties = new InstallProperties(
                URI.create(releaseUrl),
                VERSION,
                sha256,
                allowUnpinned,
                "2026.9.6",
                List.of(),
                bin,
                port,
                18789,
                Duration.ofSeconds(60),
                Duration.ofSeconds(30));
        return new ZeroClawInstaller(
                properties,
                bin,
                new Commands(this.agentEnv),
                TARGET,
                Clock.systemUTC(),
                ZeroClawInstaller.httpClient(TestTls.client()));
    }

    private RuntimeContext context() {
        return RuntimeFixtures.context(Map.of(), this.dataDir);
    }

    /** The release layout: the binary at the root, plus what newer releases add (never installed). */
    private static byte[] release(String binary) {
        return ReleaseServer.tarGz(ReleaseServer.entries(
                "web/", "",
                "web/dist/index.html", "<html></html>",
                "zerocode", "#!/bin/sh\n",
                "../escape", "must never be written",
                "zeroclaw", binary));
    }

    private static String fakeBinary() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return "#!/bin/sh\nexec '" + java + "' -Xmx64m -XX:TieredStopAtLevel=1 -cp '"
                + System.getProperty("java.class.path") + "' " + FakeZeroClawMain.class.getName() + " \"$@\"\n";
    }

    private static byte[] sums(String sha) {
        return (sha + "  " + ASSET + "\n" + "1".repeat(64) + "  zeroclaw-aarch64-apple-darwin.tar.gz\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map((file) -> file.getFileName().toString()).sorted().toList();
        }
    }

    private static Set<String> tempDirs() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.map((file) -> file.getFileName().toString())
                    .filter((name) -> name.startsWith("claw-mesh-zeroclaw-"))
                    .collect(Collectors.toSet());
        }
    }
}
