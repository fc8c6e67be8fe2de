package io.clawmesh.coordinator.outbound.relay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The secret with which replicas authenticate relay calls to each other: 32 random bytes kept in the shared database
 * ({@code replica_secrets}), written by the first replica that needs it. Only what can read the coordinators' database
 * knows it; it is never derived from, nor accepted in place of, a node token, a client key or the operator token.
 */
@Component
public class RelaySecret {

    static final String SCHEME = "MeshRelay";

    private static final String NAME = "relay";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;

    private volatile byte @Nullable [] secret;

    public RelaySecret(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The secret, read from the database (or written there first) on first use. */
    String value() {
        return new String(bytes(), StandardCharsets.US_ASCII);
    }

    /** The {@code Authorization} header value of a relay call. */
    public String authorization() {
        return SCHEME + " " + value();
    }

    /** Whether an {@code Authorization} header carries the secret; compared in constant time. */
    boolean matches(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1)) {
            return false;
        }
        byte[] presented = authorization.substring(SCHEME.length() + 1).strip().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(presented, bytes());
    }

    private byte[] bytes() {
        byte[] known = this.secret;
        if (known == null) {
            known = load().getBytes(StandardCharsets.US_ASCII);
            this.secret = known;
        }
        return known;
    }

    private synchronized String load() {
        Optional<String> stored = read();
        if (stored.isPresent()) {
            return stored.get();
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        try {
            this.jdbc
                    .sql("INSERT INTO replica_secrets (name, secret) VALUES (?, ?)")
                    .params(NAME, HexFormat.of().formatHex(random))
                    .update();
        } catch (DuplicateKeyException ex) {
            // another replica wrote it first: theirs is the one
        }
        return read().orElseThrow(() -> new IllegalStateException("the relay secret was not stored"));
    }

    private Optional<String> read() {
        return this.jdbc
                .sql("SELECT secret FROM replica_secrets WHERE name = ?")
                .param(NAME)
                .query(String.class)
                .optional();
    }
}
