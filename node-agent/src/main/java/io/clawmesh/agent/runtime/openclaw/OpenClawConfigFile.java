package io.clawmesh.agent.runtime.openclaw;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * This machine's OpenClaw config, {@code $OPENCLAW_CONFIG_PATH} or {@code ~/.openclaw/openclaw.json}: read as the
 * JSON5 OpenClaw writes (comments, unquoted keys, single quotes, trailing commas), written back as JSON atomically
 * with mode 0600, the earlier file kept as {@code openclaw.json.bak}. Used by seed sync and by auto-install.
 */
public final class OpenClawConfigFile {

    private static final Logger logger = LoggerFactory.getLogger(OpenClawConfigFile.class);

    public static final JsonMapper JSON5 = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_UNQUOTED_PROPERTY_NAMES)
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();

    private final Path path;

    public OpenClawConfigFile(Path path) {
        this.path = path;
    }

    /** The config file OpenClaw itself uses on this machine. */
    public static OpenClawConfigFile locate(Map<String, String> env, Path home) {
        String configured = env.get("OPENCLAW_CONFIG_PATH");
        return new OpenClawConfigFile(
                (configured != null && !configured.isBlank())
                        ? Path.of(configured)
                        : home.resolve(".openclaw").resolve("openclaw.json"));
    }

    public Path path() {
        return this.path;
    }

    /** The config; an empty object when there is no file; empty when the file is not a JSON5 object (logged). */
    public Optional<ObjectNode> read() {
        if (!Files.isRegularFile(this.path)) {
            return Optional.of(JSON5.createObjectNode());
        }
        try {
            JsonNode node = JSON5.readTree(this.path.toFile());
            if (node instanceof ObjectNode object) {
                return Optional.of(object);
            }
            logger.warn("{} is not a JSON object; leaving it alone", this.path);
        } catch (JacksonException ex) {
            logger.warn("Cannot parse {} ({}); leaving it alone", this.path, ex.getOriginalMessage());
        }
        return Optional.empty();
    }

    /** Replaces the config, keeping the earlier file as {@code <name>.bak}. */
    public void write(ObjectNode config) throws IOException {
        Path dir = this.path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (Files.isRegularFile(this.path)) {
            Path backup = this.path.resolveSibling(this.path.getFileName() + ".bak");
            Files.copy(this.path, backup, StandardCopyOption.REPLACE_EXISTING);
            logger.info("Kept the earlier OpenClaw config as {}", backup);
        }
        Path temporary = Files.createTempFile(
                dir,
                ".openclaw-",
                ".json.tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, JSON5.writerWithDefaultPrettyPrinter().writeValueAsString(config));
            Files.move(temporary, this.path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
