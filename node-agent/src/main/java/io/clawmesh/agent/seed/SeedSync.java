package io.clawmesh.agent.seed;

import io.clawmesh.common.seed.SeedApi;
import io.clawmesh.common.seed.SeedFile;
import io.clawmesh.common.seed.SeedPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.client.HttpClientErrorException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seed sync (SPEC §9): merges the coordinator's OpenClaw config, minus the node-local keys, into this node's (the
 * coordinator's values win, keys only the node has stay), and writes the coordinator's identity and memory files into
 * this node's workspace through {@link WorkspaceWriter}. The earlier config is kept as {@code openclaw.json.bak}.
 */
public class SeedSync {

    private static final Logger logger = LoggerFactory.getLogger(SeedSync.class);

    private static final JsonMapper JSON5 = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_UNQUOTED_PROPERTY_NAMES)
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();

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
        Path configFile = SeedTarget.configFile(this.env, this.home);
        Optional<ObjectNode> local = readLocal(configFile);
        String configuredWorkspace = local.map((config) ->
                        config.path("agents").path("defaults").path("workspace").asString(null))
                .orElse(null);
        SeedTarget target = SeedTarget.resolve(this.env, this.home, configuredWorkspace);
        String config = syncConfig(target.configFile(), local);
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

    private String syncConfig(Path configFile, Optional<ObjectNode> local) {
        Map<String, Object> offered;
        try {
            offered = this.api.config();
        } catch (HttpClientErrorException.NotFound ex) {
            return "none offered";
        }
        if (local.isEmpty()) {
            return "left alone: the local config cannot be read as JSON5";
        }
        ObjectNode incoming = JSON5.valueToTree(offered);
        incoming.remove(SeedPaths.NODE_LOCAL_KEYS);
        ObjectNode merged = local.get().deepCopy();
        merge(merged, incoming);
        if (merged.equals(local.get())) {
            return "unchanged";
        }
        try {
            write(configFile, merged);
            return "merged";
        } catch (IOException ex) {
            logger.warn("Seed sync: cannot write {}: {}", configFile, ex.getMessage());
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

    /** The local config, an empty one when there is none, or empty when it exists but is not readable JSON5. */
    private static Optional<ObjectNode> readLocal(Path configFile) {
        if (!Files.isRegularFile(configFile)) {
            return Optional.of(JSON5.createObjectNode());
        }
        try {
            JsonNode node = JSON5.readTree(configFile.toFile());
            if (node instanceof ObjectNode object) {
                return Optional.of(object);
            }
            logger.warn("Seed sync: {} is not a JSON object; leaving it alone", configFile);
        } catch (JacksonException ex) {
            logger.warn("Seed sync: cannot parse {} ({}); leaving it alone", configFile, ex.getOriginalMessage());
        }
        return Optional.empty();
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

    private static void write(Path configFile, ObjectNode config) throws IOException {
        Path dir = configFile.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (Files.isRegularFile(configFile)) {
            Files.copy(
                    configFile,
                    configFile.resolveSibling(configFile.getFileName() + ".bak"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        Path temporary = Files.createTempFile(
                dir,
                ".openclaw-",
                ".json.tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, JSON5.writerWithDefaultPrettyPrinter().writeValueAsString(config));
            Files.move(temporary, configFile, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
