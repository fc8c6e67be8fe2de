package io.clawmesh.agent.seed;

import io.clawmesh.agent.runtime.openclaw.OpenClawConfigFile;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where this node's OpenClaw keeps its config and workspace: {@code $OPENCLAW_CONFIG_PATH} or
 * {@code ~/.openclaw/openclaw.json}; {@code $OPENCLAW_WORKSPACE_DIR}, else the local config's
 * {@code agents.defaults.workspace}, else {@code ~/.openclaw/workspace} (OpenClaw's own order).
 */
public record SeedTarget(Path configFile, Path workspaceDir) {

    static SeedTarget resolve(Map<String, String> env, Path home, @Nullable String configuredWorkspace) {
        Path config = OpenClawConfigFile.locate(env, home).path();
        String fromEnv = env.get("OPENCLAW_WORKSPACE_DIR");
        Path workspace;
        if (fromEnv != null && !fromEnv.isBlank()) {
            workspace = Path.of(fromEnv);
        } else if (configuredWorkspace != null && !configuredWorkspace.isBlank()) {
            workspace = configuredWorkspace.startsWith("~/")
                    ? home.resolve(configuredWorkspace.substring(2))
                    : Path.of(configuredWorkspace);
        } else {
            workspace = home.resolve(".openclaw").resolve("workspace");
        }
        return new SeedTarget(config, workspace);
    }
}
