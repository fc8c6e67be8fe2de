package io.clawmesh.cli.settings;

import java.net.URI;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Where and how to reach the coordinator for one command, and where each value came from (for error messages).
 *
 * @param coordinator base URL of the coordinator
 * @param token the operator token, if any was found
 * @param tokenSource where the token came from ({@code --token}, {@code CLAW_MESH_TOKEN}, a file), for messages
 * @param dataDir the local data dir, where {@code claw-mesh up} keeps {@code operator-token}
 * @param json whether to print JSON instead of tables
 * @param caFingerprint the mesh CA an https coordinator must show ({@code --ca-fingerprint}), if pinned
 * @param caFile the CA file an https coordinator's certificate must chain to, if any
 */
public record ConnectionSettings(
        URI coordinator,
        @Nullable String token,
        String tokenSource,
        Path dataDir,
        boolean json,
        @Nullable String caFingerprint,
        @Nullable Path caFile) {

    @Override
    public String toString() {
        return "ConnectionSettings[coordinator=" + this.coordinator + ", token="
                + ((this.token != null) ? "<redacted>" : "none") + ", tokenSource=" + this.tokenSource + "]";
    }
}
