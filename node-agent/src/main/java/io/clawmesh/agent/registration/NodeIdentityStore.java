package io.clawmesh.agent.registration;

import io.clawmesh.common.json.StrictJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps the node identity in {@code <data-dir>/node.json}. Writes are atomic (a temporary file moved into place) and
 * the file is readable by its owner only (mode 0600 in a dir created 0700 where the file system is POSIX), because it
 * holds the node token.
 */
public class NodeIdentityStore {

    private static final Logger logger = LoggerFactory.getLogger(NodeIdentityStore.class);

    static final String FILE_NAME = "node.json";

    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private final Path dataDir;

    private final Path file;

    private final JsonMapper json = StrictJson.mapper();

    public NodeIdentityStore(Path dataDir) {
        this.dataDir = dataDir;
        this.file = dataDir.resolve(FILE_NAME);
    }

    /**
     * The stored identity; empty when there is none or the file cannot be read (which is logged). The data dir and the
     * file are checked first: one that group or others may open is named in a warning and left as it is.
     */
    public Optional<NodeIdentity> load() {
        warnIfOpen(this.dataDir, OWNER_DIRECTORY, "list", "700");
        warnIfOpen(this.file, OWNER_FILE, "read", "600");
        if (!Files.isRegularFile(this.file)) {
            return Optional.empty();
        }
        try {
            NodeIdentity identity = this.json.readValue(this.file.toFile(), NodeIdentity.class);
            if (identity.nodeId() == null || identity.token() == null || identity.coordinatorUrl() == null) {
                logger.warn("Ignoring {}: it lacks node_id, token or coordinator_url", this.file);
                return Optional.empty();
            }
            return Optional.of(identity);
        } catch (JacksonException ex) {
            logger.warn(
                    "Ignoring {}: it cannot be read ({}); the agent registers as a new node",
                    this.file,
                    ex.getMessage());
            return Optional.empty();
        }
    }

    /** Stores the identity, replacing any earlier one. */
    public void save(NodeIdentity identity) {
        try {
            createDataDir();
            Path temporary = Files.createTempFile(this.dataDir, ".node-", ".json.tmp", ownerOnly(OWNER_FILE));
            try {
                try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                    channel.write(ByteBuffer.wrap(this.json.writeValueAsBytes(identity)));
                    // on disk before it is moved into place: a crash leaves the old file or the new one, never half
                    channel.force(true);
                }
                move(temporary);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot write " + this.file + ": " + ex.getMessage(), ex);
        }
    }

    /** Where the identity is kept. */
    public Path file() {
        return this.file;
    }

    private void warnIfOpen(Path path, Set<PosixFilePermission> limit, String verb, String mode) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)
                || !path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            if (!limit.containsAll(permissions)) {
                logger.warn(
                        "{} has mode {}: other local users can {} it, and it holds the node token; run chmod {} {}",
                        path,
                        PosixFilePermissions.toString(permissions),
                        verb,
                        mode,
                        path);
            }
        } catch (IOException ex) {
            logger.warn("Cannot read the permissions of {}: {}", path, ex.getMessage());
        }
    }

    private void createDataDir() throws IOException {
        if (Files.isDirectory(this.dataDir)) {
            return;
        }
        try {
            Files.createDirectories(this.dataDir, ownerOnly(OWNER_DIRECTORY));
        } catch (FileAlreadyExistsException ex) {
            throw new IOException(this.dataDir + " exists and is not a directory", ex);
        }
    }

    private void move(Path temporary) throws IOException {
        try {
            Files.move(temporary, this.file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException ex) {
            Files.move(temporary, this.file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private FileAttribute<?>[] ownerOnly(Set<PosixFilePermission> permissions) {
        boolean posix =
                this.dataDir.getFileSystem().supportedFileAttributeViews().contains("posix");
        return posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
    }
}
