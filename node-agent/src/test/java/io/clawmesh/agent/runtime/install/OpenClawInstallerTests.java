package io.clawmesh.agent.runtime.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.clawmesh.agent.runtime.RuntimeFixtures;
import io.clawmesh.agent.runtime.RuntimeSelector;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenClaw installer, with a scripted {@code npm} first on PATH that records its arguments and "installs" by
 * writing {@code <prefix>/bin/openclaw}, which runs {@link FakeOpenClawGatewayMain} as a separate process; nothing is
 * downloaded.
 */
class OpenClawInstallerTests {

    @TempDir
    Path work;

    /** The agent's environment the installer is given, besides PATH. */
    private final Map<String, String> agentEnv = new HashMap<>();

    /** {@code mesh.agent.install.runtime-env}. */
    private List<String> passThrough = List.of();

    /** What the installed {@code openclaw} does; by default nothing. */
    private String openclawScript = "exit 0";

    @Test
    void npmInstallWhenTheGlobalPrefixIsWritableShouldInstallGlobally() throws IOException {
        Path prefix = Files.createDirectories(this.work.resolve("global"));
        OpenClawInstaller installer = installer(prefix);

        Path openclaw = installer.npmInstall();

        assertThat(openclaw).isEqualTo(prefix.resolve("bin/openclaw"));
        assertThat(this.work.resolve("npm.log")).content().contains("install -g --ignore-scripts openclaw@2026.9.6\n");
    }

    @Test
    void npmInstallWhenTheGlobalPrefixIsNotWritableShouldUseTheUserPrefix() throws IOException {
        // below a regular file nothing can be created, not even by root
        Path file = Files.writeString(this.work.resolve("not-a-dir"), "");
        OpenClawInstaller installer = installer(file.resolve("prefix"));

        Path openclaw = installer.npmInstall();

        Path user = this.work.resolve("home/.local");
        assertThat(openclaw).isEqualTo(user.resolve("bin/openclaw"));
        assertThat(this.work.resolve("npm.log"))
                .content()
                .contains("install -g --prefix " + user + " --ignore-scripts openclaw@2026.9.6\n");
    }

    @Test
    void installShouldInstallConfigureStartTheGatewayOnLoopbackAndStopItOnClose() throws Exception {
        Path prefix = Files.createDirectories(this.work.resolve("global"));
        String java = ProcessHandle.current().info().command().orElse("java");
        this.openclawScript = "exec '" + java + "' -Xmx32m -XX:TieredStopAtLevel=1 -cp '"
                + System.getProperty("java.class.path") + "' " + FakeOpenClawGatewayMain.class.getName() + " \"$@\"";
        int port = LocalPorts.freePort();
        Path dataDir = this.work.resolve("data");

        RuntimeSelector.Installed installed =
                installer(prefix, null, port).install(RuntimeFixtures.context(Map.of(), dataDir));
        try {
            Path config = this.work.resolve("home/.openclaw/openclaw.json");
            assertThat(installed.kind()).isEqualTo("openclaw");
            assertThat(installed.endpoint()).isEqualTo("127.0.0.1:" + port);
            assertThat(installed.token()).isNotNull();
            assertThat(config).content().contains(installed.token()).contains("\"port\" : " + port);
            assertThat(LocalPorts.status(port, "/healthz")).isEqualTo(200);
            assertThat(dataDir.resolve("openclaw-gateway.log"))
                    .content()
                    .contains("fake openclaw gateway on 127.0.0.1:" + port);
        } finally {
            installed.process().close();
        }
        assertThat(LocalPorts.status(port, "/healthz")).isEqualTo(-1);
    }

    @Test
    void npmInstallShouldPinTheVersionSkipInstallScriptsAndHideTheAgentsSecrets() throws IOException {
        Path prefix = Files.createDirectories(this.work.resolve("global"));
        this.agentEnv.put("CLAW_MESH_TOKEN", "cmo_operator-secret");
        this.agentEnv.put("MESH_AGENT_TOKEN", "cmn_node-secret");
        OpenClawInstaller installer = installer(prefix);

        installer.npmInstall();

        assertThat(this.work.resolve("npm.log"))
                .content()
                .contains("install -g --ignore-scripts openclaw@2026.9.6\n")
                .containsPattern("(?m)^PATH=")
                .doesNotContain("cmo_operator-secret")
                .doesNotContain("cmn_node-secret");
    }

    @Test
    void installShouldStartTheGatewayWithoutTheAgentsSecretsInItsEnvironment() throws Exception {
        Path prefix = Files.createDirectories(this.work.resolve("global"));
        Path dump = this.work.resolve("gateway-env.txt");
        String java = ProcessHandle.current().info().command().orElse("java");
        this.openclawScript = "/usr/bin/env > '" + dump + "'\nexec '" + java + "' -Xmx32m -XX:TieredStopAtLevel=1 -cp '"
                + System.getProperty("java.class.path") + "' " + FakeOpenClawGatewayMain.class.getName() + " \"$@\"";
        this.agentEnv.put("CLAW_MESH_TOKEN", "cmo_operator-secret");
        this.agentEnv.put("CLAW_MESH_JOIN_TOKEN", "join-secret");
        this.agentEnv.put("OPENAI_API_KEY", "sk-passed-on-purpose");
        this.agentEnv.put("ANTHROPIC_API_KEY", "sk-not-listed");
        this.passThrough = List.of("OPENAI_API_KEY");
        this.agentEnv.put(
                "OPENCLAW_CONFIG_PATH",
                this.work.resolve("home/.openclaw/openclaw.json").toString());
        int port = LocalPorts.freePort();

        RuntimeSelector.Installed installed =
                installer(prefix, null, port).install(RuntimeFixtures.context(Map.of(), this.work.resolve("data")));
        try {
            String env = Files.readString(dump);
            assertThat(env.lines())
                    .contains(
                            "OPENCLAW_CONFIG_PATH=" + this.work.resolve("home/.openclaw/openclaw.json"),
                            "OPENAI_API_KEY=sk-passed-on-purpose");
            assertThat(env).doesNotContain("cmo_operator-secret", "join-secret", "sk-not-listed");
        } finally {
            installed.process().close();
        }
    }

    @Test
    void npmInstallWhenNpmFailsShouldQuoteItAndSayWhatToRun() throws IOException {
        OpenClawInstaller installer = installer(Files.createDirectories(this.work.resolve("global")), "exit 1");

        assertThatExceptionOfType(InstallFailedException.class)
                .isThrownBy(installer::npmInstall)
                .withMessageContaining("'npm install -g --ignore-scripts openclaw@2026.9.6' failed (exit 1)")
                .withMessageContaining("npm ERR! 404 registry unreachable")
                .withMessageContaining("To do it by hand: npm install -g --ignore-scripts openclaw@2026.9.6");
    }

    @Test
    void configureWithoutAConfigShouldWriteATokenAndLoopbackBindingOwnerOnly() throws IOException {
        OpenClawInstaller installer = installer(this.work);

        String token = installer.configure();

        Path config = this.work.resolve("home/.openclaw/openclaw.json");
        assertThat(token).matches("[0-9a-f]{64}");
        assertThat(config).content().contains("\"token\" : \"" + token + "\"").contains("\"bind\" : \"loopback\"");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
                .isEqualTo("rw-------");
    }

    @Test
    void configureWithAJson5ConfigHoldingATokenShouldUseItAndChangeNothing() throws IOException {
        Path config =
                Files.createDirectories(this.work.resolve("home/.openclaw")).resolve("openclaw.json");
        String json5 = "// mine\n{ gateway: { port: 18789, auth: { mode: 'token', token: 'tok-123', }, }, }\n";
        Files.writeString(config, json5);

        assertThat(installer(this.work).configure()).isEqualTo("tok-123");
        assertThat(config).content().isEqualTo(json5);
    }

    @Test
    void configureWithAConfigWithoutATokenShouldKeepItsOtherKeysAndABackup() throws IOException {
        Path config =
                Files.createDirectories(this.work.resolve("home/.openclaw")).resolve("openclaw.json");
        Files.writeString(config, "{ agents: { defaults: { model: { primary: 'x/y' } } } }");

        String token = installer(this.work).configure();

        assertThat(config).content().contains("\"primary\" : \"x/y\"").contains(token);
        assertThat(config.resolveSibling("openclaw.json.bak")).content().contains("primary: 'x/y'");
    }

    private OpenClawInstaller installer(Path globalPrefix) throws IOException {
        return installer(globalPrefix, null);
    }

    private OpenClawInstaller installer(Path globalPrefix, @Nullable String installBehaviour) throws IOException {
        return installer(globalPrefix, installBehaviour, 18789);
    }

    private OpenClawInstaller installer(Path globalPrefix, @Nullable String installBehaviour, int port)
            throws IOException {
        Path bin = Files.createDirectories(this.work.resolve("path"));
        Path npm = bin.resolve("npm");
        String install = (installBehaviour != null)
                ? "echo 'npm ERR! 404 registry unreachable' >&2; " + installBehaviour
                : "prefix=\"" + globalPrefix + "\"; "
                        + "if [ \"$3\" = --prefix ]; then prefix=\"$4\"; fi; "
                        + "mkdir -p \"$prefix/bin\" && cat > \"$prefix/bin/openclaw\" <<'EOS'\n#!/bin/sh\n"
                        + this.openclawScript + "\nEOS\n"
                        + "chmod 755 \"$prefix/bin/openclaw\"";
        Files.writeString(
                npm,
                "#!/bin/sh\n"
                        + "if [ \"$1\" = prefix ]; then echo '" + globalPrefix + "'; exit 0; fi\n"
                        + "echo \"$*\" >> '" + this.work.resolve("npm.log") + "'\n"
                        + "/usr/bin/env >> '" + this.work.resolve("npm.log") + "'\n"
                        + install + "\n");
        Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = new HashMap<>(this.agentEnv);
        env.put("PATH", bin + ":/usr/bin:/bin");
        InstallProperties properties = new InstallProperties(
                URI.create("https://127.0.0.1:1"),
                "v0.8.4",
                null,
                false,
                "2026.9.6",
                List.of(),
                null,
                42617,
                port,
                Duration.ofSeconds(60),
                Duration.ofSeconds(5));
        return new OpenClawInstaller(
                properties, new Commands(env, this.passThrough), this.work.resolve("home"), Clock.systemUTC());
    }
}
