package io.clawmesh.coordinator.replicas;

import io.clawmesh.coordinator.DataDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * This coordinator's name among the replicas: {@code mesh.replicas.id}, or one kept in the data directory so that it
 * survives restarts (the tasks a replica followed are its own again when it comes back, without waiting for them to
 * be adopted).
 */
public final class ReplicaIdentity {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final String id;

    private ReplicaIdentity(String id) {
        if (!VALID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                    "mesh.replicas.id must be 1 to 64 letters, digits, '.', '_' or '-', got '" + id + "'");
        }
        this.id = id;
    }

    static ReplicaIdentity of(String id) {
        return new ReplicaIdentity(id);
    }

    /** The configured id, else the one kept in the data directory (written on first start). */
    static ReplicaIdentity resolve(ReplicaProperties properties, DataDirectory dataDirectory) {
        String configured = properties.id();
        if (configured != null && !configured.isBlank()) {
            return new ReplicaIdentity(configured.strip());
        }
        Path file = dataDirectory.path().resolve("replica-id");
        try {
            if (Files.isRegularFile(file)) {
                return new ReplicaIdentity(
                        Files.readString(file, StandardCharsets.UTF_8).strip());
            }
            DataDirectory.createOwnerOnly(dataDirectory.path());
            String id = "replica-" + UUID.randomUUID().toString().substring(0, 8);
            // owner-only like every file of the data dir, which DataDirectory checks at start
            if (Files.getFileStore(dataDirectory.path()).supportsFileAttributeView("posix")) {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
            return new ReplicaIdentity(id);
        } catch (IOException ex) {
            throw new UncheckedIOException(
                    "cannot keep this coordinator's replica id in " + file
                            + " (set mesh.replicas.id, or make the data directory writable)",
                    ex);
        }
    }

    public String id() {
        return this.id;
    }

    @Override
    public String toString() {
        return this.id;
    }
}
