package io.clawmesh.common.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the Go keys of {@code claw-mesh.yaml} and the {@code CLAW_MESH_*} environment into the Spring properties of one
 * program ({@link ConfigRole}). Both results are plain maps, ready to become property sources.
 */
public final class ConfigMapping {

    private ConfigMapping() {}

    /** The Spring properties a file sets for a role; pass-through sections are copied as they are. */
    public static Map<String, Object> fromFile(ClawMeshConfigFile file, ConfigRole role) {
        Map<String, Object> properties = new LinkedHashMap<>();
        // node.token wins over coordinator.token for an agent: apply the generic fallback first
        if (role == ConfigRole.AGENT && file.entries().containsKey("coordinator.token")) {
            properties.put(
                    "mesh.agent.token", file.entries().get("coordinator.token").value());
        }
        file.entries().forEach((key, entry) -> put(properties, key, entry.value(), role));
        return properties;
    }

    /**
     * The Spring properties the environment sets for a role: {@code CLAW_MESH_<KEY>} for every key of the Go layout
     * ({@code CLAW_MESH_COORDINATOR_PORT}, {@code CLAW_MESH_NODE_GATEWAY_ENDPOINT}) and the short names the Go version
     * read ({@code CLAW_MESH_TOKEN}, {@code CLAW_MESH_JOIN_TOKEN}, {@code CLAW_MESH_DATA_DIR},
     * {@code CLAW_MESH_COORDINATOR}); a systematic name wins over a short one.
     */
    public static Map<String, Object> fromEnvironment(Map<String, String> environment, ConfigRole role) {
        Map<String, Object> properties = new LinkedHashMap<>();
        ConfigKeys.ENV_ALIASES.forEach((variable, keys) -> {
            String value = environment.get(variable);
            String key = keys.get(role);
            if (value != null && !value.isBlank() && key != null) {
                put(properties, key, value, role);
            }
        });
        for (String key : ConfigKeys.MAPPING.keySet()) {
            String value = environment.get(ConfigKeys.environmentName(key));
            if (value != null && !value.isBlank()) {
                put(properties, key, key.endsWith(".tags") ? List.of(value.split(",")) : value, role);
            }
        }
        return properties;
    }

    private static void put(Map<String, Object> properties, String key, Object value, ConfigRole role) {
        String section = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
        if (ConfigKeys.PASS_THROUGH.contains(section)) {
            properties.put(key, springValue(value));
            return;
        }
        String property = ConfigKeys.MAPPING.getOrDefault(key, Map.of()).get(role);
        if (property == null) {
            return;
        }
        Object converted = springValue(value);
        if (ConfigKeys.SECONDS.contains(key) && converted instanceof String text && text.matches("\\d+")) {
            converted = text + "s";
        }
        properties.put(property, converted);
    }

    private static Object springValue(Object value) {
        return (value instanceof List<?> list)
                ? String.join(",", list.stream().map(String::valueOf).toList())
                : value;
    }
}
