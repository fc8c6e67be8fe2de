package io.clawmesh.coordinator.aot;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.coordinator.CoordinatorApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/**
 * The coordinator's AOT training run: it starts only on a loopback address, a random port and a new data dir, and a
 * run that started answers the first requests and ends by itself with 0.
 */
class AotTrainingTests {

    @TempDir
    Path temp;

    @Test
    void refusalWhenLoopbackRandomPortAndNewDataDirShouldBeNone() throws Exception {
        assertThat(AotTraining.refusal(environment("127.0.0.1", "0", this.temp.resolve("data"))))
                .isNull();
        assertThat(AotTraining.refusal(environment("::1", "0", Files.createDirectories(this.temp.resolve("empty")))))
                .isNull();
    }

    @Test
    void refusalWhenAddressIsNotLoopbackShouldNameIt() {
        assertThat(AotTraining.refusal(environment("0.0.0.0", "0", this.temp.resolve("data"))))
                .contains("server.address");
        assertThat(AotTraining.refusal(environment(null, "0", this.temp.resolve("data"))))
                .contains("server.address");
    }

    @Test
    void refusalWhenPortIsFixedShouldNameIt() {
        assertThat(AotTraining.refusal(environment("127.0.0.1", "9180", this.temp.resolve("data"))))
                .contains("server.port");
    }

    @Test
    void refusalWhenDataDirHoldsSomethingShouldNameIt() throws Exception {
        Path dataDir = Files.createDirectories(this.temp.resolve("data"));
        Files.writeString(dataDir.resolve("operator-token"), "someone's token");

        assertThat(AotTraining.refusal(environment("127.0.0.1", "0", dataDir))).contains(dataDir.toString());
    }

    @Test
    void refusalWhenDatabaseIsNotH2InTheDataDirShouldNameIt() {
        Path dataDir = this.temp.resolve("data");
        MockEnvironment environment = environment("127.0.0.1", "0", dataDir)
                .withProperty("spring.datasource.url", "jdbc:postgresql://db.example/mesh");

        assertThat(AotTraining.refusal(environment)).contains("spring.datasource.url");
    }

    @Test
    void runWhenAddressIsNotLoopbackShouldEndWithOneAndCreateNothing() {
        Path dataDir = this.temp.resolve("data");

        assertThat(AotTraining.run(CoordinatorApplication.class, arguments("0.0.0.0", dataDir)))
                .isEqualTo(1);
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void runOnLoopbackShouldStartAnswerTheFirstRequestsAndEndWithZero() {
        Path dataDir = this.temp.resolve("data");

        assertThat(AotTraining.run(CoordinatorApplication.class, arguments("127.0.0.1", dataDir)))
                .isZero();
        assertThat(dataDir.resolve("operator-token")).isRegularFile();
        assertThat(dataDir.resolve("coordinator.mv.db")).isRegularFile();
    }

    private static String[] arguments(String address, Path dataDir) {
        return new String[] {
            "--server.address=" + address,
            "--server.port=0",
            "--mesh.config.enabled=false",
            "--mesh.data-dir=" + dataDir,
            // the generated token, read from the data dir as in the launcher's run (no CLAW_MESH_TOKEN there)
            "--mesh.security.token="
        };
    }

    private static MockEnvironment environment(@Nullable String address, String port, Path dataDir) {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("server.port", port)
                .withProperty("mesh.data-dir", dataDir.toString())
                .withProperty("spring.datasource.url", "jdbc:h2:file:" + dataDir + "/coordinator;WRITE_DELAY=0");
        return (address != null) ? environment.withProperty("server.address", address) : environment;
    }
}
