package io.clawmesh.coordinator.seed;

import io.clawmesh.common.seed.SeedFile;
import io.clawmesh.common.seed.SeedPaths;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads what seed sync shares, with the path rules of SPEC §5: only the listed files of the configured workspace,
 * regular files only (a symbolic link is skipped, even one pointing inside), nothing over
 * {@link SeedPaths#MAX_FILE_BYTES}; and the OpenClaw config (JSON5 as OpenClaw writes it) through the
 * {@link SharedConfigFilter}: its shared sections without secrets.
 */
public class SeedFiles {

    private static final Logger logger = LoggerFactory.getLogger(SeedFiles.class);

    private static final long MAX_CONFIG_BYTES = 1024 * 1024;

    private static final JsonMapper JSON5 = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_UNQUOTED_PROPERTY_NAMES)
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();

    private final SeedProperties properties;

    private final SharedConfigFilter filter;

    public SeedFiles(SeedProperties properties, SharedConfigFilter filter) {
        this.properties = properties;
        this.filter = filter;
    }

    /** The config's shared sections, without node-local keys and without secrets the operator did not opt in. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> config() {
        Path config = this.properties.openclawConfig();
        if (!Files.isRegularFile(config)) {
            throw new SeedConfigUnavailableException(
                    "the coordinator has no OpenClaw config at " + config + " to share; set mesh.openclaw-config "
                            + "(coordinator.openclaw_config) to one",
                    true);
        }
        try {
            if (Files.size(config) > MAX_CONFIG_BYTES) {
                throw unreadable(config, "it is larger than 1 MiB");
            }
            JsonNode root = JSON5.readTree(config.toFile());
            if (!(root instanceof ObjectNode object)) {
                throw unreadable(config, "it is not a JSON object");
            }
            return JSON5.convertValue(this.filter.filter(object), Map.class);
        } catch (IOException | JacksonException ex) {
            throw unreadable(config, ex.getMessage());
        }
    }

    /** The shared workspace files that exist, in a stable order; empty when there is no workspace. */
    public List<SeedFile> workspace() {
        Path dir = this.properties.workspaceDir();
        List<SeedFile> files = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return files;
        }
        for (String name : new TreeSet<>(SeedPaths.ROOT_FILES)) {
            read(dir, name).ifPresent(files::add);
        }
        Path memory = dir.resolve(SeedPaths.MEMORY_DIR);
        if (Files.isDirectory(memory, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> entries = Files.list(memory)) {
                entries.map((entry) -> SeedPaths.MEMORY_DIR + "/" + entry.getFileName())
                        .filter(SeedPaths::isShared)
                        .sorted()
                        .forEach((name) -> read(dir, name).ifPresent(files::add));
            } catch (IOException ex) {
                logger.warn("Seed sync: cannot list {}: {}", memory, ex.getMessage());
            }
        }
        return files;
    }

    private java.util.Optional<SeedFile> read(Path dir, String name) {
        Path file = dir.resolve(name);
        if (Files.isSymbolicLink(file)) {
            logger.warn("Seed sync: not serving {}: it is a symbolic link, and only regular files are shared", file);
            return java.util.Optional.empty();
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return java.util.Optional.empty();
        }
        try {
            long size = Files.size(file);
            if (size > SeedPaths.MAX_FILE_BYTES) {
                logger.warn(
                        "Seed sync: not serving {}: {} bytes, more than the {} allowed",
                        file,
                        size,
                        SeedPaths.MAX_FILE_BYTES);
                return java.util.Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(file);
            String content = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
            return java.util.Optional.of(new SeedFile(name, content));
        } catch (CharacterCodingException ex) {
            logger.warn("Seed sync: not serving {}: it is not UTF-8 text", file);
        } catch (IOException ex) {
            logger.warn("Seed sync: cannot read {}: {}", file, ex.getMessage());
        }
        return java.util.Optional.empty();
    }

    private static SeedConfigUnavailableException unreadable(Path config, String reason) {
        return new SeedConfigUnavailableException(
                "the coordinator cannot share its OpenClaw config " + config + ": " + reason, false);
    }
}
