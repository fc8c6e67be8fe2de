package io.clawmesh.agent.runtime.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a started process sees of the agent's environment. */
class RuntimeEnvironmentTests {

    private static final Map<String, String> AGENT = Map.of(
            "PATH", "/usr/bin",
            "HOME", "/home/agent",
            "LC_CTYPE", "C.UTF-8",
            "HTTPS_PROXY", "http://proxy:3128",
            "CLAW_MESH_TOKEN", "cmo_secret",
            "MESH_AGENT_TOKEN", "cmn_secret",
            "Mesh_Agent_Join_Token", "join",
            "SPRING_APPLICATION_JSON", "{}",
            "ZEROCLAW_gateway__port", "1",
            "OPENAI_API_KEY", "sk");

    @Test
    void forProcessShouldKeepTheAllowListAndTheRuntimesNamespaceOnly() {
        Map<String, String> env = new RuntimeEnvironment(AGENT, List.of()).forProcess(List.of("ZEROCLAW_*"), Map.of());

        assertThat(env).containsOnlyKeys("PATH", "HOME", "LC_CTYPE", "HTTPS_PROXY", "ZEROCLAW_gateway__port");
    }

    @Test
    void forProcessShouldNeverPassAMeshVariableEvenWhenAPatternCoversIt() {
        Map<String, String> env = new RuntimeEnvironment(AGENT, List.of("OPENAI_API_KEY", "MESH*", "Mesh*"))
                .forProcess(List.of(), Map.of("ZEROCLAW_gateway__port", "42617"));

        assertThat(env).containsEntry("OPENAI_API_KEY", "sk").containsEntry("ZEROCLAW_gateway__port", "42617");
        assertThat(env.keySet()).noneMatch((name) -> name.toUpperCase().contains("MESH"));
        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        new RuntimeEnvironment(AGENT, List.of()).forProcess(List.of(), Map.of("CLAW_MESH_TOKEN", "x")));
    }
}
