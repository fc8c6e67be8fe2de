package io.clawmesh.coordinator.replicas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.clawmesh.coordinator.DataDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** This coordinator's replica id: configured, or kept in the data directory across restarts. */
class ReplicaIdentityTests {

    @TempDir
    Path dir;

    @Test
    void resolveWhenIdIsConfiguredShouldUseItAndWriteNothing() {
        ReplicaIdentity identity = ReplicaIdentity.resolve(properties(" pod-7f9c "), new DataDirectory(this.dir));

        assertThat(identity.id()).isEqualTo("pod-7f9c");
        assertThat(this.dir.resolve("replica-id")).doesNotExist();
    }

    @Test
    void resolveWhenNothingIsConfiguredShouldKeepOneOwnerOnlyIdAcrossRestarts() throws IOException {
        DataDirectory dataDirectory = new DataDirectory(this.dir.resolve("data"));

        ReplicaIdentity first = ReplicaIdentity.resolve(properties(null), dataDirectory);
        ReplicaIdentity afterRestart = ReplicaIdentity.resolve(properties(""), dataDirectory);

        assertThat(first.id()).startsWith("replica-");
        assertThat(afterRestart.id()).isEqualTo(first.id());
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(this.dir.resolve("data").resolve("replica-id"))))
                .isEqualTo("rw-------");
    }

    @Test
    void resolveWhenTheIdHasCharactersASqlOrLogLineShouldNotCarryShouldSayWhatIsAllowed() {
        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        ReplicaIdentity.resolve(properties("a'; DROP TABLE tasks;--"), new DataDirectory(this.dir)))
                .withMessageContaining("mesh.replicas.id must be 1 to 64 letters, digits");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ReplicaIdentity.resolve(properties("x".repeat(65)), new DataDirectory(this.dir)));
    }

    @Test
    void propertiesWhenDeadAfterIsShorterThanTwoHeartbeatsShouldBeRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ReplicaProperties(
                        null,
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(3),
                        Duration.ofSeconds(10),
                        Duration.ofHours(1)))
                .withMessageContaining("mesh.replicas.dead-after");
    }

    @Test
    void propertiesWhenForgetAfterIsShorterThanDeadAfterShouldBeRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ReplicaProperties(
                        null,
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(5)))
                .withMessageContaining("mesh.replicas.forget-after");
    }

    private static ReplicaProperties properties(String id) {
        return new ReplicaProperties(
                id, Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofHours(1));
    }
}
