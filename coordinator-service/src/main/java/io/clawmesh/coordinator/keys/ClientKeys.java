package io.clawmesh.coordinator.keys;

import io.clawmesh.common.key.ClientKeyCreated;
import io.clawmesh.common.key.ClientKeyRequest;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.node.Names;
import io.clawmesh.common.node.NodeCredentials;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * Client keys: create (the secret is answered once and stored as its SHA-256), list, revoke, and authenticate a
 * bearer secret. Authentication goes through a cache keyed by the secret's hash; an entry older than
 * {@link #REVOCATION_CHECK} asks the database for {@code revoked_at} again, so a key revoked on any replica is refused
 * everywhere within a second (on this replica at once). A secret that is no live key is remembered as such for as
 * long, so a request that asks twice (the front door's fast path, then the security chain) costs one lookup.
 */
@Service
public class ClientKeys {

    /** Prefix of every client key secret, so that one is recognisable (and told apart from other tokens). */
    public static final String PREFIX = "cmk_";

    /** How stale the revocation state of a cached key may be. */
    static final Duration REVOCATION_CHECK = Duration.ofSeconds(1);

    static final int MAX_MODELS = 50;

    static final int MAX_RATE_PER_MINUTE = 100_000;

    static final int MAX_CACHED = 10_000;

    private static final Logger logger = LoggerFactory.getLogger(ClientKeys.class);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ClientKeyRepository repository;

    private final KeyUsage usage;

    private final KeyRateLimits limits;

    private final Clock clock;

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /** Secrets (by hash) found to be no live key, with when: refused again without a lookup for a while. */
    private final Map<String, Instant> misses = new ConcurrentHashMap<>();

    public ClientKeys(ClientKeyRepository repository, KeyUsage usage, Clock clock) {
        this.repository = repository;
        this.usage = usage;
        this.limits = new KeyRateLimits(clock);
        this.clock = clock;
    }

    private record Cached(ClientKey key, Instant checkedAt) {}

    /**
     * Creates a key.
     *
     * @throws InvalidInputException for a bad name, model pattern or rate
     * @throws KeyNameConflictException when a key of that name exists
     */
    public ClientKeyCreated create(ClientKeyRequest request) {
        String name = Names.requireName("name", request.name());
        List<String> models = new ArrayList<>();
        if (request.models() != null) {
            if (request.models().size() > MAX_MODELS) {
                throw new InvalidInputException("a key may list at most " + MAX_MODELS + " model patterns");
            }
            for (String pattern : request.models()) {
                if (pattern == null) {
                    throw new InvalidInputException("models must not hold null");
                }
                String checked = ModelPattern.require(pattern);
                if (!models.contains(checked)) {
                    models.add(checked);
                }
            }
        }
        Integer rate = request.ratePerMinute();
        if (rate != null && (rate < 1 || rate > MAX_RATE_PER_MINUTE)) {
            throw new InvalidInputException(
                    "rate_per_minute must be 1-" + MAX_RATE_PER_MINUTE + " (leave it out for no limit), not " + rate);
        }
        String secret = newSecret();
        ClientKey key = new ClientKey(
                newId(), name, NodeCredentials.hash(secret), models, rate, this.clock.instant(), null, null, 0);
        try {
            this.repository.insert(key);
        } catch (DuplicateKeyException ex) {
            throw new KeyNameConflictException(name);
        }
        logger.info("Client key '{}' ({}) created", name, key.id());
        return new ClientKeyCreated(key.view(), secret);
    }

    /** Every key, revoked ones included, oldest first. */
    public List<ClientKey> list() {
        return this.repository.findAll();
    }

    /**
     * Revokes a key by id or name: refused at once here, and within {@link #REVOCATION_CHECK} on other replicas.
     * Revoking a revoked key changes nothing.
     *
     * @throws KeyNotFoundException when there is no such key
     */
    public ClientKey revoke(String idOrName) {
        ClientKey key = find(idOrName);
        if (this.repository.revoke(key.id(), this.clock.instant())) {
            logger.info("Client key '{}' ({}) revoked", key.name(), key.id());
        }
        this.cache.remove(key.secretHash());
        this.limits.forget(key.id());
        return find(key.id());
    }

    /** @throws KeyNotFoundException when there is no key with that id or name */
    public ClientKey find(String idOrName) {
        if (idOrName.isEmpty() || idOrName.length() > 100) {
            throw new KeyNotFoundException(idOrName.substring(0, Math.min(idOrName.length(), 100)));
        }
        return this.repository.findByIdOrName(idOrName).orElseThrow(() -> new KeyNotFoundException(idOrName));
    }

    /**
     * The live key whose secret this is; empty for an unknown or revoked secret.
     *
     * @param secret a bearer token that starts with {@link #PREFIX}
     */
    public Optional<ClientKey> authenticate(String secret) {
        String hash = NodeCredentials.hash(secret);
        Instant now = this.clock.instant();
        Cached cached = this.cache.get(hash);
        if (cached != null && now.isBefore(cached.checkedAt().plus(REVOCATION_CHECK))) {
            return Optional.of(cached.key());
        }
        ClientKey key;
        if (cached != null) {
            // only the revocation can change: one indexed column read
            Optional<Instant> revokedAt = this.repository.revokedAt(hash);
            if (revokedAt.isPresent()) {
                this.cache.remove(hash);
                return Optional.empty();
            }
            key = cached.key();
        } else {
            // a secret cannot be used before it exists (it is answered once, at creation): a miss stays one
            Instant missed = this.misses.get(hash);
            if (missed != null && now.isBefore(missed.plus(REVOCATION_CHECK))) {
                return Optional.empty();
            }
            key = this.repository.findBySecretHash(hash).orElse(null);
            if (key == null || key.revoked()) {
                if (this.misses.size() >= MAX_CACHED) {
                    this.misses.clear();
                }
                this.misses.put(hash, now);
                return Optional.empty();
            }
            this.misses.remove(hash);
        }
        if (this.cache.size() >= MAX_CACHED) {
            this.cache.clear();
        }
        this.cache.put(hash, new Cached(key, now));
        return Optional.of(key);
    }

    /**
     * Counts one request of the key against its rate limit and records the use (written in batches).
     *
     * @throws RateLimitedException when the key is over its limit; the refused request is not counted as a use
     */
    public void use(ClientKey key) {
        this.limits.acquire(key);
        this.usage.record(key.id());
    }

    /** Whether a bearer token is meant to be a client key. */
    public static boolean isClientKey(@Nullable String token) {
        return token != null && token.startsWith(PREFIX);
    }

    private static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String newId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "key-" + HexFormat.of().formatHex(bytes);
    }
}
