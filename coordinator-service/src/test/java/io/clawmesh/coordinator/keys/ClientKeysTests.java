package io.clawmesh.coordinator.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clawmesh.common.key.ClientKeyCreated;
import io.clawmesh.common.key.ClientKeyRequest;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.node.NodeCredentials;
import io.clawmesh.coordinator.MutableClock;
import io.clawmesh.coordinator.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client keys on a real database: hashing, the revocation check through the cache (two instances on one database are
 * two coordinator replicas), rate limits and batched use counts.
 */
abstract class ClientKeysTests {

    private TestDatabase database;

    private final MutableClock clock = new MutableClock();

    private ClientKeyRepository repository;

    private KeyUsage usage;

    private ClientKeys keys;

    protected abstract TestDatabase openDatabase();

    @BeforeEach
    void open() {
        this.database = openDatabase();
        this.repository = new ClientKeyRepository(this.database.jdbcClient());
        this.usage = new KeyUsage(this.repository, this.clock);
        this.keys = new ClientKeys(this.repository, this.usage, this.clock);
    }

    @AfterEach
    void close() {
        this.database.close();
    }

    @Test
    void createShouldAnswerTheSecretOnceAndStoreOnlyItsHash() {
        ClientKeyCreated created = this.keys.create(new ClientKeyRequest("chat-ui", List.of("mesh/auto"), 60));

        assertThat(created.secret()).startsWith("cmk_").hasSize(4 + 43);
        assertThat(created.key().name()).isEqualTo("chat-ui");
        assertThat(created.key().models()).containsExactly("mesh/auto");
        assertThat(created.key().ratePerMinute()).isEqualTo(60);
        List<Map<String, Object>> rows = this.database.jdbcTemplate().queryForList("SELECT * FROM client_keys");
        assertThat(rows).hasSize(1);
        assertThat(rows.getFirst().values().toString()).doesNotContain(created.secret());
        assertThat(rows.getFirst().get("secret_hash")).isEqualTo(NodeCredentials.hash(created.secret()));
        assertThat(this.keys.authenticate(created.secret()))
                .map(ClientKey::name)
                .hasValue("chat-ui");
        assertThat(this.keys.authenticate(created.secret() + "x")).isEmpty();
    }

    @Test
    void unknownSecretAskedTwiceShouldCostOneLookupUntilTheRevocationCheckIsDue() {
        AtomicInteger lookups = new AtomicInteger();
        ClientKeyRepository counting = new ClientKeyRepository(this.database.jdbcClient()) {
            @Override
            public Optional<ClientKey> findBySecretHash(String secretHash) {
                lookups.incrementAndGet();
                return super.findBySecretHash(secretHash);
            }
        };
        ClientKeys keys = new ClientKeys(counting, this.usage, this.clock);
        String unknown = "cmk_" + "x".repeat(43);
        String live = keys.create(new ClientKeyRequest("live", null, null)).secret();

        assertThat(keys.authenticate(unknown)).isEmpty();
        assertThat(keys.authenticate(unknown))
                .as("the fast path, then the security chain")
                .isEmpty();
        assertThat(lookups).hasValue(1);
        assertThat(keys.authenticate(live))
                .as("a live key is never taken for a miss")
                .isPresent();
        assertThat(lookups).hasValue(2);

        this.clock.advance(ClientKeys.REVOCATION_CHECK);
        assertThat(keys.authenticate(unknown)).isEmpty();
        assertThat(lookups).hasValue(3);
        keys.revoke("live");
        this.clock.advance(ClientKeys.REVOCATION_CHECK);
        assertThat(keys.authenticate(live)).as("revoked").isEmpty();
        assertThat(keys.authenticate(live)).isEmpty();
    }

    @Test
    void createShouldRefuseBadNamesModelsRatesAndTakenNames() {
        this.keys.create(new ClientKeyRequest("taken", null, null));

        assertThatThrownBy(() -> this.keys.create(new ClientKeyRequest("taken", null, null)))
                .isInstanceOf(KeyNameConflictException.class);
        assertThatThrownBy(() -> this.keys.create(new ClientKeyRequest("Not A Name", null, null)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> this.keys.create(new ClientKeyRequest(null, null, null)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> this.keys.create(new ClientKeyRequest("a", List.of("gpt-4"), null)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("mesh/");
        assertThatThrownBy(() -> this.keys.create(new ClientKeyRequest("b", null, 0)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("rate_per_minute");
        assertThat(this.keys.list()).extracting(ClientKey::name).containsExactly("taken");
    }

    @Test
    void revokedKeyShouldBeRefusedAtOnceHereAndWithinASecondOnAnotherReplica() {
        ClientKeys otherReplica =
                new ClientKeys(this.repository, new KeyUsage(this.repository, this.clock), this.clock);
        String secret =
                this.keys.create(new ClientKeyRequest("laptop", null, null)).secret();
        assertThat(this.keys.authenticate(secret)).isPresent();
        assertThat(otherReplica.authenticate(secret))
                .as("cached on the other replica")
                .isPresent();

        this.keys.revoke("laptop");

        assertThat(this.keys.authenticate(secret))
                .as("on the replica that revoked it")
                .isEmpty();
        this.clock.advance(ClientKeys.REVOCATION_CHECK);
        assertThat(otherReplica.authenticate(secret))
                .as("on the other replica a second later")
                .isEmpty();
        assertThat(this.keys.find("laptop").revokedAt())
                .isEqualTo(this.clock.instant().minus(Duration.ofSeconds(1)));
    }

    @Test
    void revokeShouldFindKeysByIdOrNameAndRefuseUnknownOnes() {
        ClientKeyCreated created = this.keys.create(new ClientKeyRequest("by-id", null, null));

        assertThat(this.keys.revoke(created.key().id()).revoked()).isTrue();
        assertThat(this.keys.revoke("by-id").revoked())
                .as("revoking twice changes nothing")
                .isTrue();
        assertThatThrownBy(() -> this.keys.revoke("nobody")).isInstanceOf(KeyNotFoundException.class);
    }

    @Test
    void rateLimitShouldRefuseBeyondTheRateWithTheTimeUntilTheNextRequest() {
        String secret =
                this.keys.create(new ClientKeyRequest("limited", null, 2)).secret();
        ClientKey key = this.keys.authenticate(secret).orElseThrow();

        this.keys.use(key);
        this.keys.use(key);

        assertThatThrownBy(() -> this.keys.use(key))
                .isInstanceOfSatisfying(
                        RateLimitedException.class,
                        (ex) -> assertThat(ex.retryAfter()).isBetween(Duration.ofSeconds(29), Duration.ofSeconds(31)));
        this.clock.advance(Duration.ofSeconds(30));
        this.keys.use(key);
    }

    @Test
    void usesShouldBeWrittenInBatches() {
        String secret =
                this.keys.create(new ClientKeyRequest("counted", null, null)).secret();
        ClientKey key = this.keys.authenticate(secret).orElseThrow();

        this.keys.use(key);
        this.keys.use(key);
        this.clock.advance(Duration.ofSeconds(5));
        this.keys.use(key);
        assertThat(this.keys.find("counted").useCount())
                .as("nothing written before the flush")
                .isZero();

        this.usage.flush();

        ClientKey counted = this.keys.find("counted");
        assertThat(counted.useCount()).isEqualTo(3);
        assertThat(counted.lastUsedAt()).isEqualTo(this.clock.instant());
    }

    @Test
    void modelPatternsShouldMatchWithStars() {
        ClientKey key = this.keys
                .authenticate(this.keys
                        .create(new ClientKeyRequest("scoped", List.of("mesh/auto", "mesh/node/*"), null))
                        .secret())
                .orElseThrow();

        assertThat(key.allowsModel("mesh/auto")).isTrue();
        assertThat(key.allowsModel("mesh/node/gpu-box")).isTrue();
        assertThat(key.allowsModel("mesh/skill/python")).isFalse();
        assertThat(key.allowsModel("mesh/auto2")).isFalse();
    }
}
