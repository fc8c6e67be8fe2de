package io.clawmesh.common.config;

import java.util.Locale;

/**
 * Which claw-mesh program reads the config file; each maps the Go keys onto its own Spring properties (the
 * coordinator's {@code coordinator.port} is its {@code server.port}; the CLI uses it to find the coordinator).
 */
public enum ConfigRole {
    COORDINATOR,
    AGENT,
    CLI;

    /** Parses {@code coordinator}, {@code agent} or {@code cli}. */
    public static ConfigRole of(String value) {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
    }
}
