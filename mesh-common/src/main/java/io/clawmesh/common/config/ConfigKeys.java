package io.clawmesh.common.config;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys of {@code claw-mesh.yaml} (the Go layout plus a few of ours) and the Spring property each program maps
 * them onto. A key a program does not use maps to nothing there. Top-level {@code mesh}, {@code server},
 * {@code spring}, {@code management} and {@code logging} sections pass through as Spring properties unchanged.
 */
final class ConfigKeys {

    /** Sections whose keys are Spring property names already. */
    static final Set<String> PASS_THROUGH = Set.of("mesh", "server", "spring", "management", "logging");

    /** Go key → (role → Spring property). */
    static final Map<String, Map<ConfigRole, String>> MAPPING = Map.ofEntries(
            Map.entry(
                    "coordinator.port",
                    Map.of(ConfigRole.COORDINATOR, "server.port", ConfigRole.CLI, "mesh.cli.coordinator-port")),
            Map.entry(
                    "coordinator.token",
                    Map.of(ConfigRole.COORDINATOR, "mesh.security.token", ConfigRole.CLI, "mesh.cli.token")),
            Map.entry("coordinator.join_token", Map.of(ConfigRole.COORDINATOR, "mesh.security.join-token")),
            Map.entry("coordinator.allow_private", Map.of(ConfigRole.COORDINATOR, "mesh.security.allow-private")),
            Map.entry(
                    "coordinator.data_dir",
                    Map.of(ConfigRole.COORDINATOR, "mesh.data-dir", ConfigRole.CLI, "mesh.cli.data-dir")),
            Map.entry("coordinator.workspace_dir", Map.of(ConfigRole.COORDINATOR, "mesh.workspace-dir")),
            Map.entry("coordinator.openclaw_config", Map.of(ConfigRole.COORDINATOR, "mesh.openclaw-config")),
            Map.entry("coordinator.database_url", Map.of(ConfigRole.COORDINATOR, "spring.datasource.url")),
            Map.entry(
                    "coordinator.url",
                    Map.of(ConfigRole.AGENT, "mesh.agent.coordinator-url", ConfigRole.CLI, "mesh.cli.coordinator")),
            Map.entry("node.name", Map.of(ConfigRole.AGENT, "mesh.agent.name")),
            Map.entry("node.tags", Map.of(ConfigRole.AGENT, "mesh.agent.tags")),
            Map.entry("node.endpoint", Map.of(ConfigRole.AGENT, "mesh.agent.endpoint")),
            Map.entry("node.listen", Map.of(ConfigRole.AGENT, "mesh.agent.listen")),
            Map.entry("node.token", Map.of(ConfigRole.AGENT, "mesh.agent.token")),
            Map.entry("node.capacity", Map.of(ConfigRole.AGENT, "mesh.agent.capacity")),
            Map.entry("node.data_dir", Map.of(ConfigRole.AGENT, "mesh.agent.data-dir")),
            Map.entry("node.runtime", Map.of(ConfigRole.AGENT, "mesh.agent.runtime")),
            Map.entry("node.connect", Map.of(ConfigRole.AGENT, "mesh.agent.connect")),
            Map.entry("node.gateway.endpoint", Map.of(ConfigRole.AGENT, "mesh.agent.gateway-endpoint")),
            Map.entry("node.gateway.token", Map.of(ConfigRole.AGENT, "mesh.agent.gateway-token")),
            Map.entry("node.gateway.timeout", Map.of(ConfigRole.AGENT, "mesh.agent.gateway-timeout")),
            Map.entry("node.gateway.auto_discover", Map.of(ConfigRole.AGENT, "mesh.agent.auto-discover")),
            Map.entry(
                    "tls.enabled", Map.of(ConfigRole.COORDINATOR, "mesh.tls.enabled", ConfigRole.CLI, "mesh.cli.tls")),
            Map.entry("tls.cert_file", Map.of(ConfigRole.COORDINATOR, "mesh.tls.cert-file")),
            Map.entry("tls.key_file", Map.of(ConfigRole.COORDINATOR, "mesh.tls.key-file")),
            Map.entry("tls.ca_key_file", Map.of(ConfigRole.COORDINATOR, "mesh.tls.ca-key-file")),
            Map.entry(
                    "tls.ca_file",
                    Map.of(
                            ConfigRole.COORDINATOR,
                            "mesh.tls.ca-file",
                            ConfigRole.AGENT,
                            "mesh.agent.ca-file",
                            ConfigRole.CLI,
                            "mesh.cli.ca-file")),
            Map.entry(
                    "tls.ca_fingerprint",
                    Map.of(ConfigRole.AGENT, "mesh.agent.ca-fingerprint", ConfigRole.CLI, "mesh.cli.ca-fingerprint")));

    /** Keys whose bare numbers mean seconds (the Go version's unit), not Spring's milliseconds. */
    static final Set<String> SECONDS = Set.of("node.gateway.timeout");

    /** Environment variables besides the systematic {@code CLAW_MESH_<KEY>} names, as the Go version read them. */
    static final Map<String, Map<ConfigRole, String>> ENV_ALIASES = Map.of(
            "CLAW_MESH_TOKEN",
            Map.of(
                    ConfigRole.COORDINATOR,
                    "coordinator.token",
                    ConfigRole.CLI,
                    "coordinator.token",
                    ConfigRole.AGENT,
                    "node.token"),
            "CLAW_MESH_JOIN_TOKEN",
            Map.of(ConfigRole.COORDINATOR, "coordinator.join_token"),
            "CLAW_MESH_DATA_DIR",
            Map.of(ConfigRole.COORDINATOR, "coordinator.data_dir", ConfigRole.CLI, "coordinator.data_dir"),
            "CLAW_MESH_COORDINATOR",
            Map.of(ConfigRole.CLI, "coordinator.url", ConfigRole.AGENT, "coordinator.url"));

    /** The sections of the Go layout, for error messages. */
    static final List<String> SECTIONS = List.of("coordinator", "node", "tls");

    private ConfigKeys() {}

    /** The systematic environment variable of a key: {@code node.gateway.endpoint} → {@code CLAW_MESH_NODE_GATEWAY_ENDPOINT}. */
    static String environmentName(String key) {
        return "CLAW_MESH_" + key.replace('.', '_').toUpperCase(java.util.Locale.ROOT);
    }
}
