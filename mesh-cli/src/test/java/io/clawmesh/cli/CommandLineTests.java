package io.clawmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.shell.test.ShellAssertions;

/** What every verb shares: usage errors, global flags, token lookup, the config file, help. */
class CommandLineTests extends CliTestSupport {

    @Test
    void unknownCommandShouldExitTwoPointingToHelp() {
        Result result = runExactly("nodez");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("claw-mesh: unknown command 'nodez' (see claw-mesh help)");
    }

    @Test
    void unknownFlagShouldExitTwoWithTheUsage() {
        Result result = run("nodes --colour");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("claw-mesh: unknown flag --colour for 'nodes'\n\nusage: claw-mesh nodes");
    }

    @Test
    void badOutputFormatShouldExitTwo() {
        Result result = run("nodes --output xml");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("claw-mesh: --output takes table or json, not 'xml'");
    }

    @Test
    void malformedCoordinatorUrlShouldExitTwo() {
        Result result = runExactly("nodes --coordinator http://");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("is not a URL such as http://127.0.0.1:9180");
    }

    @Test
    void launcherVerbsShouldExplainThemselves() {
        Result result = runExactly("up --port 9999");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("'up' starts a long-running process");
    }

    @Test
    void helpShouldListEveryVerbAndExplainOne() throws Exception {
        ShellAssertions.assertThat(shell("help"))
                .containsText("status")
                .containsText("nodes")
                .containsText("send")
                .containsText("route add")
                .containsText("route list")
                .containsText("route remove")
                .containsText("node show")
                .containsText("node remove")
                .containsText("watch")
                .containsText("init")
                .containsText("version")
                .containsText("up")
                .containsText("join");
        ShellAssertions.assertThat(shell("help route add"))
                .containsText("usage: claw-mesh route add --match EXPR [--target NODE]");
        ShellAssertions.assertThat(shell("help join"))
                .containsText("--gateway-endpoint")
                .containsText("--no-gateway");
    }

    @Test
    void tokenOfALocalCoordinatorShouldComeFromTheTokenFileUpWrote() throws IOException {
        Path dataDir = Files.createDirectories(HOME.resolve(".claw-mesh"));
        Files.writeString(dataDir.resolve("operator-token"), "from-the-file\n");
        this.coordinator.json("GET", "/api/v1/rules", 200, "[]");
        try {
            Result result = runExactly("route list --coordinator " + this.coordinator.url());

            assertThat(result.exitCode()).isZero();
            assertThat(this.coordinator.last("GET", "/api/v1/rules").header("Authorization"))
                    .isEqualTo("Bearer from-the-file");
        } finally {
            Files.delete(dataDir.resolve("operator-token"));
        }
    }

    @Test
    void missingTokenShouldSayWhereToFindIt() {
        this.coordinator.problem("GET", "/api/v1/rules", 401, "needs a token");

        Result result = runExactly("route list --coordinator " + this.coordinator.url());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err())
                .contains("needs the operator token: pass --token, set CLAW_MESH_TOKEN")
                .contains("operator-token");
    }

    @Test
    void errorWhenTheProblemDetailCarriesTerminalEscapesShouldPrintThemVisiblyOnOneLine() {
        // a detail quoting what a node or anyone on the way sent: a title change, a screen clear and a forged line
        this.coordinator.problem(
                "GET", "/api/v1/rules", 404, "no rule \\u001b]0;pwned\\u0007\\u001b[2J\\nclaw-mesh: all good\\u009b");

        Result result = run("route list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).doesNotContain("\u001b", "\u0007", "\u009b");
        assertThat(result.err().lines()).hasSize(1);
        assertThat(result.err())
                .contains("no rule \\u001b]0;pwned\\u0007\\u001b[2J\\nclaw-mesh: all good\\u009b (404)");
    }

    @Test
    void environmentShouldBeatTheConfigFileAndFlagsShouldBeatBoth() throws IOException {
        Path config = Files.writeString(
                HOME.resolve("env-test.yaml"),
                "coordinator:\n  url: " + this.coordinator.url() + "\n  token: from-file\n");
        this.coordinator.json("GET", "/api/v1/rules", 200, "[]");

        runExactly("route list --config " + config);
        assertThat(this.coordinator.last("GET", "/api/v1/rules").header("Authorization"))
                .isEqualTo("Bearer from-file");

        VARIABLES.put("CLAW_MESH_TOKEN", "from-env");
        runExactly("route list --config " + config);
        assertThat(this.coordinator.last("GET", "/api/v1/rules").header("Authorization"))
                .isEqualTo("Bearer from-env");

        runExactly("route list --token from-flag --config " + config);
        assertThat(this.coordinator.last("GET", "/api/v1/rules").header("Authorization"))
                .isEqualTo("Bearer from-flag");
    }

    @Test
    void brokenConfigFileShouldExitTwoNamingFileAndLine() throws IOException {
        Path config = Files.writeString(HOME.resolve("broken.yaml"), "coordinator:\n  port: 9180\n  tokn: x\n");

        Result result = runExactly("nodes --config " + config);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("claw-mesh: " + config + ":3: unknown key 'coordinator.tokn'");
    }

    @Test
    void coordinatorPortFromTheConfigFileShouldBeUsed() throws IOException {
        String port = this.coordinator.url().substring(this.coordinator.url().lastIndexOf(':') + 1);
        Path config = Files.writeString(HOME.resolve("port.yaml"), "coordinator:\n  port: " + port + "\n  token: t\n");
        this.coordinator.json("GET", "/api/v1/rules", 200, "[]");

        assertThat(runExactly("route list --config " + config).exitCode()).isZero();
    }
}
