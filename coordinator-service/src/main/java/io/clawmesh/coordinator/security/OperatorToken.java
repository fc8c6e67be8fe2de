package io.clawmesh.coordinator.security;

import io.clawmesh.common.node.NodeCredentials;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The operator token and the join token. When no operator token is configured, one is generated once and stored in
 * {@code <data-dir>/operator-token} with mode 0600 (in a dir created 0700), where the CLI finds it for a local
 * coordinator. {@link DataDirectory} names a stored file that is open to others.
 *
 * <p>The configured (or generated) token is the initial one. After the first rotation ({@link #rotate()}) the hashes
 * in the {@code operator_tokens} table decide alone: the current token, and the replaced ones until their overlap
 * window ends. Every replica reads the table again at least every {@value #REFRESH_MILLIS} ms, and when it meets a
 * token it does not know (at most every {@value #MISS_REFRESH_MILLIS} ms), so a new token works on the replica that
 * made it at once and on the others within {@value #MISS_REFRESH_MILLIS} ms.
 */
@Component
public class OperatorToken {

    /** File name of the generated operator token inside the data dir. */
    public static final String FILE_NAME = "operator-token";

    private static final Logger logger = LoggerFactory.getLogger(OperatorToken.class);

    /** How long a replica trusts its copy of the stored tokens. */
    static final long REFRESH_MILLIS = 5_000;

    /**
     * A replica reads the table again for an unknown token at most this often, so that junk tokens cannot flood the
     * database; a token another replica has just made works here after at most this long.
     */
    static final long MISS_REFRESH_MILLIS = 250;

    private final String operator;

    private final String join;

    private final boolean separateJoin;

    private final Path tokenFile;

    private final @Nullable OperatorTokenRepository repository;

    private final Clock clock;

    private final Duration overlap;

    private volatile Snapshot snapshot = new Snapshot(Map.of(), Long.MIN_VALUE / 2);

    /** Tokens without rotation: only the configured or generated one is valid (tests, tools). */
    public OperatorToken(MeshSecurityProperties properties, MeshProperties mesh) {
        this(properties, mesh, null, Clock.systemUTC());
    }

    @Autowired
    public OperatorToken(
            MeshSecurityProperties properties,
            MeshProperties mesh,
            @Nullable OperatorTokenRepository repository,
            Clock clock) {
        this.tokenFile = mesh.dataDir().resolve(FILE_NAME);
        this.operator =
                StringUtils.hasText(properties.token()) ? properties.token().strip() : loadOrGenerate(mesh.dataDir());
        this.separateJoin = StringUtils.hasText(properties.joinToken());
        this.join = this.separateJoin ? properties.joinToken().strip() : this.operator;
        this.repository = repository;
        this.clock = clock;
        this.overlap = properties.rotationOverlap();
        if (this.separateJoin) {
            logger.info("A separate join token is configured: node tokens may register, nothing else");
        }
    }

    /** The operator token configured or generated at start; after a rotation it may no longer be valid. */
    public String operator() {
        return this.operator;
    }

    /** The join token: the configured one, else the initial operator token. */
    public String join() {
        return this.join;
    }

    /** Whether {@code token} is a separately configured join token (without one, operator tokens join). */
    public boolean isJoin(@Nullable String token) {
        return this.separateJoin && NodeCredentials.secretsEqual(this.join, token);
    }

    /**
     * Whether {@code token} is a valid operator token now. Before any rotation this is a constant-time comparison and
     * nothing else: no fingerprint (a SHA-256 digest, and a {@code MessageDigest} lookup) for every routed message.
     */
    public boolean isOperator(@Nullable String token) {
        if (token == null) {
            return false;
        }
        Snapshot current = current(REFRESH_MILLIS);
        if (current.tokens().isEmpty() && NodeCredentials.secretsEqual(this.operator, token)) {
            return true;
        }
        return operatorFingerprint(token).isPresent();
    }

    /** The fingerprint of {@code token} when it is a valid operator token now, else empty. */
    public Optional<String> operatorFingerprint(@Nullable String token) {
        if (token == null) {
            return Optional.empty();
        }
        Snapshot current = current(REFRESH_MILLIS);
        Optional<String> found = lookup(current, token);
        if (found.isEmpty()) {
            // another replica may have rotated a moment ago
            Snapshot again = current(MISS_REFRESH_MILLIS);
            if (again != current) {
                found = lookup(again, token);
            }
        }
        return found;
    }

    private Optional<String> lookup(Snapshot snapshot, String token) {
        if (snapshot.tokens().isEmpty()) {
            return NodeCredentials.secretsEqual(this.operator, token)
                    ? Optional.of(fingerprint(token))
                    : Optional.empty();
        }
        OperatorTokenRepository.StoredToken stored = snapshot.tokens().get(NodeCredentials.hash(token));
        if (stored == null
                || (stored.expiresAt() != null && !this.clock.instant().isBefore(stored.expiresAt()))) {
            return Optional.empty();
        }
        return Optional.of(stored.fingerprint());
    }

    /**
     * Whether the operator token with this fingerprint is the current one (not one a rotation replaced and that only
     * works for its overlap window).
     */
    public boolean isCurrent(String fingerprint) {
        Snapshot current = current(MISS_REFRESH_MILLIS);
        if (current.tokens().isEmpty()) {
            return fingerprint.equals(fingerprint(this.operator));
        }
        return current.tokens().values().stream()
                .anyMatch((stored) ->
                        stored.expiresAt() == null && stored.fingerprint().equals(fingerprint));
    }

    /**
     * Makes a new operator token the current one; the tokens valid so far keep working for
     * {@code mesh.security.rotation-overlap}. The token file in the data dir, when there is one, gets the new token.
     *
     * @throws IllegalStateException when this coordinator has no database to keep the tokens in
     */
    public Rotation rotate() {
        if (this.repository == null) {
            throw new IllegalStateException("operator token rotation needs the coordinator's database");
        }
        String fresh = newToken();
        Instant now = this.clock.instant();
        Instant previousUntil = now.plus(this.overlap);
        this.repository.rotate(
                new OperatorTokenRepository.StoredToken(
                        NodeCredentials.hash(this.operator), fingerprint(this.operator), null),
                new OperatorTokenRepository.StoredToken(NodeCredentials.hash(fresh), fingerprint(fresh), null),
                now,
                previousUntil);
        current(0);
        boolean fileUpdated = false;
        if (Files.isRegularFile(this.tokenFile)) {
            try {
                writeOwnerOnly(this.tokenFile.getParent(), fresh);
                fileUpdated = true;
            } catch (IOException ex) {
                logger.error(
                        "The operator token was rotated but {} could not be updated; the local CLI needs the new"
                                + " token from the rotation's answer",
                        this.tokenFile,
                        ex);
            }
        }
        logger.info(
                "Operator token rotated: the current one is now {}; the ones before work until {}",
                fingerprint(fresh),
                previousUntil);
        return new Rotation(fresh, fingerprint(fresh), previousUntil, fileUpdated);
    }

    /**
     * A short non-secret name of an operator token (the first 8 hex digits of its SHA-256), so that the audit trail
     * can tell tokens apart after a rotation.
     */
    public static String fingerprint(String token) {
        return NodeCredentials.hash(token).substring(0, 8);
    }

    /** The stored tokens, read again when the copy in memory is older than {@code maxAgeMillis}. */
    private Snapshot current(long maxAgeMillis) {
        Snapshot current = this.snapshot;
        if (this.repository == null) {
            return current;
        }
        long now = System.nanoTime() / 1_000_000;
        if (now - current.loadedAt() < maxAgeMillis) {
            return current;
        }
        Map<String, OperatorTokenRepository.StoredToken> tokens = new HashMap<>();
        this.repository.findAll().forEach((stored) -> tokens.put(stored.hash(), stored));
        Snapshot loaded = new Snapshot(Map.copyOf(tokens), now);
        this.snapshot = loaded;
        return loaded;
    }

    /**
     * The outcome of a rotation.
     *
     * @param token the new token
     * @param fingerprint its fingerprint
     * @param previousValidUntil when the tokens before it stop working
     * @param tokenFileUpdated whether the data dir's token file now holds the new token
     */
    public record Rotation(String token, String fingerprint, Instant previousValidUntil, boolean tokenFileUpdated) {

        @Override
        public String toString() {
            return "Rotation[token=<redacted>, fingerprint=" + this.fingerprint + "]";
        }
    }

    private record Snapshot(Map<String, OperatorTokenRepository.StoredToken> tokens, long loadedAt) {}

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
            writeOwnerOnly(dataDir, token);
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

    /** Writes {@code token} to the token file atomically, mode 0600 before any byte is written. */
    private static void writeOwnerOnly(Path dataDir, String token) throws IOException {
        Path temp = Files.createTempFile(dataDir, FILE_NAME, ".tmp");
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        }
        Files.writeString(temp, token + "\n", StandardCharsets.UTF_8);
        Files.move(
                temp, dataDir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return "cmo_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
