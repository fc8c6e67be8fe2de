package io.clawmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.shell.test.ShellAssertions;
import tools.jackson.databind.json.JsonMapper;

class NodeCommandsTests extends CliTestSupport {

    @Test
    void nodesShouldPrintAnAlignedTableWithRelativeLastSeen() throws Exception {
        this.coordinator.json("GET", "/api/v1/nodes", 200, MeshJsonFixtures.threeNodes());

        var screen = shell("nodes");

        ShellAssertions.assertThat(screen)
                .containsText("NAME       ID                     STATUS   RUNTIME          ENDPOINT           OS/ARCH")
                .containsText("12s ago")
                .containsText("5s ago")
                .containsText("2h ago");
        List<String> lines = screen.lines();
        assertThat(lines.get(0))
                .startsWith("NAME")
                .contains("GPU")
                .contains("LOAD")
                .contains("TAGS")
                .endsWith("LAST SEEN");
        assertThat(lines.get(1))
                .startsWith("linux-gpu  " + MeshJsonFixtures.GPU_ID)
                .contains(" yes ")
                .contains("0/4");
        assertThat(lines.get(2))
                .startsWith("mac-mini   ")
                .contains("darwin/arm64")
                .contains("xcode,local")
                .contains("1/4");
        assertThat(lines.get(3)).startsWith("old-box    ").contains("offline").contains("zeroclaw (down)");
        int statusColumn = lines.get(0).indexOf("STATUS");
        assertThat(lines.subList(1, 4))
                .allSatisfy((line) -> assertThat(line.indexOf(line.contains("offline") ? "offline" : "online"))
                        .isEqualTo(statusColumn));
        assertThat(this.coordinator.last("GET", "/api/v1/nodes").header("Authorization"))
                .isEqualTo("Bearer " + FakeCoordinator.TOKEN);
    }

    @Test
    void nodesWithJsonOutputShouldPrintTheApiShapes() throws Exception {
        this.coordinator.json("GET", "/api/v1/nodes", 200, MeshJsonFixtures.threeNodes());

        Result result = run("nodes --output json");

        assertThat(result.exitCode()).isZero();
        List<Map<String, Object>> nodes = JsonMapper.builder().build().readValue(result.out(), List.class);
        assertThat(nodes).extracting((node) -> node.get("name")).containsExactly("mac-mini", "linux-gpu", "old-box");
        assertThat(nodes.get(0))
                .containsEntry("last_heartbeat", "2026-11-24T02:59:48Z")
                .containsEntry("status", "online");
    }

    @Test
    void nodesWhenEmptyShouldSayHowToJoin() throws Exception {
        this.coordinator.json("GET", "/api/v1/nodes", 200, "[]");

        ShellAssertions.assertThat(shell("nodes"))
                .containsText("no nodes yet: add one with claw-mesh join " + this.coordinator.url());
    }

    @Test
    void nodeShowShouldFindANodeByName() throws Exception {
        this.coordinator.json("GET", "/api/v1/nodes", 200, MeshJsonFixtures.threeNodes());

        ShellAssertions.assertThat(shell("node show mac-mini"))
                .containsText("id:         " + MeshJsonFixtures.MAC_ID)
                .containsText("runtime:    openclaw 2026.9.6")
                .containsText("skills:     docker")
                .containsText("load:       1 of 4 in flight");
    }

    @Test
    void nodesWhenANodeSendsTerminalEscapesShouldPrintThemVisiblyInOneCell() {
        this.coordinator.json("GET", "/api/v1/nodes", 200, "[" + hostileNode() + "]");

        Result result = run("nodes");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).doesNotContain("\u001b", "\u009b", "\u007f", "\r");
        assertThat(result.out().lines()).hasSize(2);
        assertThat(result.out().lines().toList().get(1)).contains("linux\\u001b[2J\\nforged/arm\\u009b2J");
    }

    @Test
    void nodesWithJsonOutputWhenANodeSendsControlCharactersShouldEscapeThemAll() throws Exception {
        this.coordinator.json("GET", "/api/v1/nodes", 200, "[" + hostileNode() + "]");

        Result result = run("nodes --output json");

        assertThat(result.out()).doesNotContain("\u001b", "\u009b", "\u007f");
        assertThat(result.out()).contains("linux\\u001B[2J\\nforged").contains("arm\\u009B2J");
        List<Map<String, Object>> nodes = JsonMapper.builder().build().readValue(result.out(), List.class);
        assertThat(nodes.get(0).get("capabilities")).asString().contains("linux\u001b[2J\nforged");
    }

    @Test
    void nodeShowWhenANodeSendsTerminalEscapesShouldPrintThemVisibly() {
        this.coordinator.json("GET", "/api/v1/nodes", 200, "[" + hostileNode() + "]");

        Result result = run("node show evil");

        assertThat(result.out()).doesNotContain("\u001b", "\u009b", "\u007f", "\r");
        assertThat(result.out()).contains("os/arch:    linux\\u001b[2J\\nforged/arm\\u009b2J\n");
        assertThat(result.out()).contains("runtime:    echo 1.0\\u001b]0;pwned\\u0007\\r\n");
    }

    /** A node whose os, arch and runtime version carry a screen clear, a forged line, CSI (C1), DEL and a title. */
    private static String hostileNode() {
        return """
                {"id":"node-1","name":"evil","endpoint":"192.168.1.20:9121",
                 "capabilities":{"os":"linux\\u001b[2J\\nforged","arch":"arm\\u009b2J","gpu":false,"memory_gb":1,
                  "tags":["t\\u007f"],"skills":[]},
                 "status":"online","last_heartbeat":"2026-11-24T02:59:48Z",
                 "runtime":{"kind":"echo","version":"1.0\\u001b]0;pwned\\u0007\\r","connected":true},
                 "inflight":0,"capacity":4,"registered_at":"2026-11-23T20:00:00Z"}""";
    }

    @Test
    void nodeShowWhenUnknownShouldExitOneWithOneLine() {
        this.coordinator.json("GET", "/api/v1/nodes", 200, MeshJsonFixtures.threeNodes());

        Result result = run("node show nope");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("claw-mesh: no node named 'nope' (claw-mesh nodes lists them)\n");
    }

    @Test
    void nodeRemoveShouldDeleteByIdAndSayWhich() {
        this.coordinator
                .json("GET", "/api/v1/nodes", 200, MeshJsonFixtures.threeNodes())
                .json("DELETE", "/api/v1/nodes/" + MeshJsonFixtures.OLD_ID, 204, "");

        Result result = run("node remove old-box");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("removed node old-box (" + MeshJsonFixtures.OLD_ID + ")\n");
        this.coordinator.last("DELETE", "/api/v1/nodes/" + MeshJsonFixtures.OLD_ID);
    }

    @Test
    void nodeShowWithoutArgumentShouldBeAUsageError() {
        Result result = run("node show");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err())
                .startsWith("claw-mesh: 'node show' needs <node>\n")
                .contains("usage: claw-mesh node show");
    }

    @Test
    void nodeWithoutSubCommandShouldListThem() {
        Result result = run("node");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("'node' needs one of: remove, show");
    }
}
