package io.clawmesh.agent.seed;

import io.clawmesh.common.seed.SeedFile;
import io.clawmesh.common.seed.SeedPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Writes seed files into this node's workspace, and nowhere else (SPEC §5): an absolute path, a {@code ..} or empty
 * segment, a file that is not an identity or memory file, content over {@link SeedPaths#MAX_FILE_BYTES}, and a path
 * through or onto a symbolic link are refused. Writes are atomic; a file that already has the content is left alone.
 */
class WorkspaceWriter {

    enum Outcome {
        WRITTEN,
        UNCHANGED
    }

    private final Path workspace;

    WorkspaceWriter(Path workspace) {
        this.workspace = workspace.toAbsolutePath().normalize();
    }

    /** Why {@code file} may not be written, or empty when it may. */
    Optional<String> refusal(SeedFile file) {
        String path = file.path();
        if (path.isEmpty()) {
            return Optional.of("empty path");
        }
        if (path.startsWith("/") || path.startsWith("~") || path.contains("\\") || path.matches("^[A-Za-z]:.*")) {
            return Optional.of("absolute path");
        }
        if (Arrays.stream(path.split("/", -1))
                .anyMatch((part) -> part.isEmpty() || part.equals("..") || part.equals("."))) {
            return Optional.of("path with '..', '.' or an empty segment");
        }
        if (!SeedPaths.isShared(path)) {
            return Optional.of(
                    "not an identity or memory file (SOUL.md, IDENTITY.md, AGENTS.md, MEMORY.md, memory/*.md)");
        }
        if (file.content().getBytes(StandardCharsets.UTF_8).length > SeedPaths.MAX_FILE_BYTES) {
            return Optional.of("larger than " + SeedPaths.MAX_FILE_BYTES + " bytes");
        }
        Path target = this.workspace.resolve(path).normalize();
        if (!target.startsWith(this.workspace)) {
            return Optional.of("outside the workspace");
        }
        String link = symbolicLinkOnTheWay(target);
        return (link != null) ? Optional.of("symbolic link at " + link) : Optional.empty();
    }

    /** Writes a file that {@link #refusal} accepted. */
    Outcome write(SeedFile file) throws IOException {
        Path target = this.workspace.resolve(file.path()).normalize();
        byte[] content = file.content().getBytes(StandardCharsets.UTF_8);
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
                && Arrays.equals(Files.readAllBytes(target), content)) {
            return Outcome.UNCHANGED;
        }
        Path parent = target.getParent();
        Files.createDirectories(parent);
        // the directories may have been swapped for links since the check: check again right before writing
        String link = symbolicLinkOnTheWay(target);
        if (link != null) {
            throw new IOException("symbolic link at " + link);
        }
        Path temporary = Files.createTempFile(parent, ".seed-", ".tmp");
        try {
            Files.write(temporary, content);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException ex) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
        return Outcome.WRITTEN;
    }

    private @Nullable String symbolicLinkOnTheWay(Path target) {
        Path relative = this.workspace.relativize(target);
        Path current = this.workspace;
        for (Path part : relative) {
            current = current.resolve(part);
            if (Files.isSymbolicLink(current)) {
                return this.workspace.relativize(current).toString();
            }
        }
        return null;
    }
}
