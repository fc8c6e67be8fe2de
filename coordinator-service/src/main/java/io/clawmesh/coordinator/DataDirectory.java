package io.clawmesh.coordinator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * Keeps the data dir ({@code mesh.data-dir}) private to its owner, because the node token hashes in the database are
 * enough to forge delivery credentials. A missing dir is created with mode 0700; the files this start creates in it
 * (the embedded database opens its files with the process umask) are set to 0600 once the coordinator is ready. A dir
 * or file that was there before and is open to group or others is never changed, since it may be the user's: each is
 * named in a warning with the command that closes it.
 */
public class DataDirectory {

    private static final Logger logger = LoggerFactory.getLogger(DataDirectory.class);

    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private final Path path;

    private @Nullable Set<Path> existingFiles;

    public DataDirectory(Path path) {
        this.path = path.toAbsolutePath().normalize();
    }

    /** The data dir, absolute. */
    public Path path() {
        return this.path;
    }

    /**
     * Makes sure the dir exists before something writes into it: created 0700 when missing, else checked, once. Files
     * found here now count as the user's, files that appear later as this start's.
     */
    public synchronized void prepare() {
        if (this.existingFiles != null) {
            return;
        }
        if (!Files.exists(this.path, LinkOption.NOFOLLOW_LINKS)) {
            createOwnerOnly(this.path);
            this.existingFiles = Set.of();
            return;
        }
        check();
    }

    /** Once the coordinator is ready: the files this start created become 0600, looser ones found before are named. */
    @EventListener(ApplicationReadyEvent.class)
    public synchronized void afterStart() {
        if (this.existingFiles == null) {
            if (!Files.isDirectory(this.path)) {
                return; // nothing keeps state here (an external database and a given token)
            }
            check();
        }
        for (Path file : files()) {
            if (!this.existingFiles.contains(file)
                    && isPosix(file)
                    && !permissions(file).equals(OWNER_FILE)) {
                setPermissions(file, OWNER_FILE);
                logger.debug("Set {} to mode 0600", file);
            }
        }
    }

    /** Creates a dir (and its missing parents) with mode 0700; an existing one is left as it is. */
    public static void createOwnerOnly(Path dir) {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            if (isPosix(dir.toAbsolutePath().getRoot())) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
                // the attribute passes through the umask; a umask that takes the owner's bits must not win
                setPermissions(dir, OWNER_DIRECTORY);
                logger.info("Created the data dir {} (mode 0700)", dir);
            } else {
                Files.createDirectories(dir);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(
                    "Cannot create the data dir " + dir + " (" + ex.getMessage()
                            + "); check the permissions of its parent or set mesh.data-dir",
                    ex);
        }
    }

    /** Logs a warning naming the path when group or others may read, write or enter it. */
    public static void warnIfOpen(Path path) {
        if (!isPosix(path) || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Set<PosixFilePermission> permissions = permissions(path);
        boolean directory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
        if (!(directory ? OWNER_DIRECTORY : OWNER_FILE).containsAll(permissions)) {
            logger.warn(
                    "{} has mode {}: other local users can {} it, and it holds coordinator secrets; run chmod {} {}",
                    path,
                    PosixFilePermissions.toString(permissions),
                    directory ? "list" : "read",
                    directory ? "700" : "600",
                    path);
        }
    }

    private void check() {
        warnIfOpen(this.path);
        List<Path> files = files();
        files.forEach(DataDirectory::warnIfOpen);
        this.existingFiles = new HashSet<>(files);
    }

    /** The regular files directly in the dir; sub-dirs (the local agent's) are not the coordinator's. */
    private List<Path> files() {
        try (Stream<Path> entries = Files.list(this.path)) {
            return entries.filter((entry) -> Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS))
                    .toList();
        } catch (IOException ex) {
            logger.warn("Cannot list the data dir {} to check its files: {}", this.path, ex.getMessage());
            return List.of();
        }
    }

    private static boolean isPosix(@Nullable Path path) {
        return path != null
                && path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static Set<PosixFilePermission> permissions(Path path) {
        try {
            return Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot read the permissions of " + path + ": " + ex.getMessage(), ex);
        }
    }

    private static void setPermissions(Path path, Set<PosixFilePermission> permissions) {
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot set the permissions of " + path + ": " + ex.getMessage(), ex);
        }
    }
}
