package io.clawmesh.agent;

import io.clawmesh.common.node.Names;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * This machine as a node: its name and the data dir that keeps its identity. Both come from the properties, or are
 * derived from the host name.
 */
public record LocalNode(String name, Path dataDir) {

    /** Resolves name and data dir from the properties, the environment and the home directory. */
    public static LocalNode from(AgentProperties properties, Map<String, String> env, Path home) {
        String name = (properties.name() != null && !properties.name().isBlank())
                ? Names.requireName("mesh.agent.name", properties.name())
                : sanitize(hostName(env));
        Path dataDir = (properties.dataDir() != null)
                ? properties.dataDir()
                : home.resolve(".claw-mesh").resolve("agent-" + name);
        return new LocalNode(name, dataDir);
    }

    /** Turns a host name into a valid node name: lower case, invalid characters replaced by '-', at most 63. */
    static String sanitize(@Nullable String hostName) {
        if (hostName == null) {
            return "node";
        }
        String name = hostName.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        name = name.replaceAll("^[-.]+", "").replaceAll("[-.]+$", "");
        if (name.length() > 63) {
            name = name.substring(0, 63).replaceAll("[-.]+$", "");
        }
        return name.isEmpty() ? "node" : name;
    }

    private static @Nullable String hostName(Map<String, String> env) {
        for (String variable : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        for (String file : new String[] {"/proc/sys/kernel/hostname", "/etc/hostname"}) {
            try {
                String value = Files.readString(Path.of(file)).strip();
                if (!value.isEmpty()) {
                    return value;
                }
            } catch (IOException | RuntimeException ex) {
                // not Linux, or not readable: try the next source
            }
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException ex) {
            return null;
        }
    }
}
