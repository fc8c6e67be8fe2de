package io.clawmesh.agent.runtime.zeroclaw;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Keeps the bearer token won by pairing with ZeroClaw in the agent's data dir, readable by its owner only (0600), so
 * a restarted agent does not need a new pairing code.
 */
class ZeroClawTokenStore {

    private final Path file;

    ZeroClawTokenStore(Path file) {
        this.file = file;
    }

    Optional<String> load() {
        try {
            if (!Files.isRegularFile(this.file)) {
                return Optional.empty();
            }
            String token = Files.readString(this.file).strip();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot read the ZeroClaw token in " + this.file, ex);
        }
    }

    void save(String token) {
        try {
            Path dir = this.file.toAbsolutePath().getParent();
            boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(
                        dir,
                        posix
                                ? new FileAttribute<?>[] {
                                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))
                                }
                                : new FileAttribute<?>[0]);
            }
            FileAttribute<?>[] ownerOnly = posix
                    ? new FileAttribute<?>[] {
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
                    }
                    : new FileAttribute<?>[0];
            Path temporary = Files.createTempFile(dir, ".zeroclaw-token-", ".tmp", ownerOnly);
            try {
                Files.writeString(temporary, token);
                Files.move(temporary, this.file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot store the ZeroClaw token in " + this.file, ex);
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(this.file);
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot delete " + this.file, ex);
        }
    }

    Path file() {
        return this.file;
    }
}
