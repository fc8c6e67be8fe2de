package io.clawmesh.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.clawmesh.coordinator.MeshProperties;
import io.clawmesh.coordinator.MutableClock;
import io.clawmesh.coordinator.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** Operator token rotation on every supported database (the subclasses), two replicas sharing it. */
abstract class OperatorTokenRotationTests {

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock();

    private TestDatabase database;

    private OperatorTokenRepository repository;

    protected abstract TestDatabase openDatabase();

    @BeforeEach
    void setUp() {
        this.database = openDatabase();
        this.repository = new OperatorTokenRepository(this.database.jdbcClient());
    }

    @AfterEach
    void tearDown() {
        if (this.database != null) {
            this.database.close();
        }
    }

    private OperatorToken replica(String configured) {
        return new OperatorToken(
                new MeshSecurityProperties(
                        configured, null, false, false, DataSize.ofMegabytes(1), Duration.ofHours(1)),
                new MeshProperties(this.dataDir),
                this.repository,
                this.clock);
    }

    @Test
    void rotateShouldKeepTheOldTokenForTheOverlapOnEveryReplica() throws InterruptedException {
        OperatorToken first = replica(SecurityFixtures.OPERATOR);
        OperatorToken second = replica(SecurityFixtures.OPERATOR);
        assertThat(second.isOperator(SecurityFixtures.OPERATOR)).isTrue();

        OperatorToken.Rotation rotation = first.rotate();
        assertThat(first.isOperator(rotation.token())).isTrue();
        // the other replica read the table a moment ago: it reads it again for an unknown token after this long
        Thread.sleep(OperatorToken.MISS_REFRESH_MILLIS + 50);

        assertThat(rotation.previousValidUntil()).isEqualTo(this.clock.instant().plus(Duration.ofHours(1)));
        assertThat(second.isOperator(rotation.token())).isTrue();
        assertThat(second.isOperator(SecurityFixtures.OPERATOR)).isTrue();
        assertThat(second.operatorFingerprint(rotation.token())).contains(rotation.fingerprint());
        assertThat(first.isCurrent(rotation.fingerprint())).isTrue();
        assertThat(first.isCurrent(OperatorToken.fingerprint(SecurityFixtures.OPERATOR)))
                .isFalse();
        assertThat(rotation.tokenFileUpdated()).isFalse();

        this.clock.advance(Duration.ofMinutes(61));
        assertThat(first.isOperator(SecurityFixtures.OPERATOR)).isFalse();
        assertThat(second.isOperator(SecurityFixtures.OPERATOR)).isFalse();
        assertThat(first.isOperator(rotation.token())).isTrue();
    }

    @Test
    void aReplicaStartedLaterWithTheOldConfiguredTokenShouldFollowTheDatabase() {
        OperatorToken.Rotation rotation = replica(SecurityFixtures.OPERATOR).rotate();
        this.clock.advance(Duration.ofHours(2));

        OperatorToken restarted = replica(SecurityFixtures.OPERATOR);

        assertThat(restarted.isOperator(SecurityFixtures.OPERATOR)).isFalse();
        assertThat(restarted.isOperator(rotation.token())).isTrue();
    }

    @Test
    void aSecondRotationShouldEndTheFirstOnesOverlapOnlyForTheTokensBeforeIt() {
        OperatorToken coordinator = replica(SecurityFixtures.OPERATOR);
        OperatorToken.Rotation first = coordinator.rotate();
        this.clock.advance(Duration.ofMinutes(30));
        OperatorToken.Rotation second = coordinator.rotate();

        this.clock.advance(Duration.ofMinutes(45));
        assertThat(coordinator.isOperator(SecurityFixtures.OPERATOR)).isFalse();
        assertThat(coordinator.isOperator(first.token())).isTrue();
        assertThat(coordinator.isOperator(second.token())).isTrue();
        this.clock.advance(Duration.ofMinutes(30));
        assertThat(coordinator.isOperator(first.token())).isFalse();
        assertThat(coordinator.isOperator(second.token())).isTrue();
    }

    @Test
    void rotateWhenTheTokenCameFromTheDataDirShouldRewriteTheFile() throws Exception {
        OperatorToken generated = replica(null);
        String before =
                Files.readString(this.dataDir.resolve(OperatorToken.FILE_NAME)).strip();

        OperatorToken.Rotation rotation = generated.rotate();

        assertThat(rotation.tokenFileUpdated()).isTrue();
        assertThat(Files.readString(this.dataDir.resolve(OperatorToken.FILE_NAME))
                        .strip())
                .isEqualTo(rotation.token())
                .isNotEqualTo(before);
    }

    @Test
    void rotateWithoutADatabaseShouldSaySo() {
        OperatorToken plain = SecurityFixtures.tokens(SecurityFixtures.OPERATOR, null, this.dataDir);
        assertThatIllegalStateException().isThrownBy(plain::rotate).withMessageContaining("database");
    }
}
