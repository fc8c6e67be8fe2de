package io.clawmesh.agent.seed;

import io.clawmesh.agent.runtime.openclaw.OpenClawConfigFile;
import io.clawmesh.common.seed.SeedApi;
import io.clawmesh.common.seed.SeedFile;
import io.clawmesh.common.seed.SeedPaths;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.client.HttpClientErrorException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seed sync (SPEC §9): merges the coordinator's OpenClaw config, minus the node-local keys, into this node's (the
 * coordinator's values win, keys only the node has stay), and writes the coordinator's identity and memory files into
 * this node's workspace through {@link WorkspaceWriter}. The earlier config is kept as {@code openclaw.json.bak}.
 */
public class SeedSync {

    private static final Logger logger = LoggerFactory.getLogger(SeedSync.class);

    private final SeedApi api;

    private final Map<String, String> env;

    private final Path home;

    public SeedSync(SeedApi api, Map<String, String> env, Path home) {
        this.api = api;
        this.env = env;
        this.home = home;
    }

    /** Fetches and applies both parts; a failure of one part is reported and does not stop the other. */
    public SeedReport sync() {
        OpenClawConfigFile configFile = OpenClawConfigFile.locate(this.env, this.home);
        Optional<ObjectNode> local = configFile.read();
        String configuredWorkspace = local.map((config) ->
                        config.path("agents").path("defaults").path("workspace").asString(null))
                .orElse(null);
        SeedTarget target = SeedTarget.resolve(this.env, this.home, configuredWorkspace);
        String config = syncConfig(configFile, local);
        SeedReport report = syncWorkspace(target.workspaceDir(), config);
        logger.info(
                "Seed sync: config {} ({}); workspace {}: {} written, {} unchanged, {} refused",
                report.config(),
                target.configFile(),
                target.workspaceDir(),
                report.written().size(),
                report.unchanged().size(),
                report.refused().size());
        return report;
    }

    private String syncConfig(OpenClawConfigFile configFile, Optional<ObjectNode> local) {
        Map<String, Object> offered;
        try {
            offered = this.api.config();
        } catch (HttpClientErrorException.NotFound ex) {
            return "none offered";
        }
        if (local.isEmpty()) {
            return "left alone: the local config cannot be read as JSON5";
        }
        ObjectNode incoming = OpenClawConfigFile.JSON5.valueToTree(offered);
        incoming.remove(SeedPaths.NODE_LOCAL_KEYS);
        ObjectNode merged = local.get().deepCopy();
        merge(merged, incoming);
        if (merged.equals(local.get())) {
            return "unchanged";
        }
        try {
            configFile.write(merged);
            return "merged";
        } catch (IOException ex) {
            logger.warn("Seed sync: cannot write {}: {}", configFile.path(), ex.getMessage());
            return "not written: " + ex.getMessage();
        }
    }

    private SeedReport syncWorkspace(Path workspace, String config) {
        List<String> written = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        WorkspaceWriter writer = new WorkspaceWriter(workspace);
        for (SeedFile file : this.api.workspace().files()) {
            Optional<String> refusal = writer.refusal(file);
            if (refusal.isPresent()) {
                logger.warn("Seed sync: refused '{}': {}", file.path(), refusal.get());
                refused.add(file.path() + ": " + refusal.get());
                continue;
            }
            try {
                (writer.write(file) == WorkspaceWriter.Outcome.WRITTEN ? written : unchanged).add(file.path());
            } catch (IOException ex) {
                logger.warn("Seed sync: cannot write '{}': {}", file.path(), ex.getMessage());
                refused.add(file.path() + ": " + ex.getMessage());
            }
        }
        return new SeedReport(config, written, unchanged, refused);
    }

    /** Deep merge: objects merge key by key, anything else from {@code incoming} replaces what {@code target} has. */
    static void merge(ObjectNode target, ObjectNode incoming) {
        for (Map.Entry<String, JsonNode> entry : incoming.properties()) {
            JsonNode existing = target.get(entry.getKey());
            if (existing instanceof ObjectNode existingObject
                    && entry.getValue() instanceof ObjectNode incomingObject) {
                merge(existingObject, incomingObject);
            } else {
                target.set(entry.getKey(), entry.getValue().deepCopy());
            }
        }
    }
}
