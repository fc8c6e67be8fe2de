package io.clawmesh.coordinator.seed;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the coordinator shares with joining nodes ({@code mesh.workspace-dir}, {@code mesh.openclaw-config}; in
 * {@code claw-mesh.yaml} {@code coordinator.workspace_dir} and {@code coordinator.openclaw_config}).
 *
 * @param workspaceDir the OpenClaw workspace whose identity and memory files are served
 * @param openclawConfig the OpenClaw config file whose shared keys are served
 */
@ConfigurationProperties("mesh")
public record SeedProperties(Path workspaceDir, Path openclawConfig) {}
