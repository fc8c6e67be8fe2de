package io.clawmesh.coordinator.security;

import io.clawmesh.coordinator.DataDirectory;
import io.clawmesh.coordinator.MeshProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The operator token and the join token. When no operator token is configured, one is generated once and stored in
 * {@code <data-dir>/operator-token} with mode 0600 (in a dir created 0700), where the CLI finds it for a local
 * coordinator. {@link DataDirectory} names a stored file that is open to others.
 */
@Component
public class OperatorToken {

    /** File name of the generated operator token inside the data dir. */
    public static final String FILE_NAME = "operator-token";

    private static final Logger logger = LoggerFactory.getLogger(OperatorToken.class);

    private final String operator;

    private final String join;

    public OperatorToken(MeshSecurityProperties properties, MeshProperties mesh) {
        this.operator =
                StringUtils.hasText(properties.token()) ? properties.token().strip() : loadOrGenerate(mesh.dataDir());
        this.join = StringUtils.hasText(properties.joinToken())
                ? properties.joinToken().strip()
                : this.operator;
        if (StringUtils.hasText(properties.joinToken())) {
            logger.info("A separate join token is configured: node tokens may register, nothing else");
        }
    }

    public String operator() {
        return this.operator;
    }

    public String join() {
        return this.join;
    }

    private static String loadOrGenerate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (Files.isRegularFile(file)) {
                String stored = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!stored.isEmpty()) {
                    logger.info("Using the operator token stored in {}", file);
                    return stored;
                }
            }
            DataDirectory.createOwnerOnly(dataDir);
            String token = newToken();
            Path temp = Files.createTempFile(dataDir, FILE_NAME, ".tmp");
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(temp, token + "\n", StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            logger.info(
                    "No operator token was given: generated one and stored it in {} (mode 0600). "
                            + "The CLI reads it from there; pass --token (or CLAW_MESH_TOKEN) to choose your own.",
                    file);
            return token;
        } catch (IOException ex) {
            throw new UncheckedIOException(
                    "Cannot read or write the operator token file " + file
                            + "; check the permissions of the data dir or pass --token",
                    ex);
        }
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return "cmo_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
