package io.clawmesh.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clawmesh.agent.NodeAgentIntegrationTests.FakeCoordinatorServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real agent registering over HTTP with a small fake coordinator: the identity it keeps (the node token) is
 * owner-only in a fresh data dir, and a data dir or identity file that other users can open is named in a warning.
 */
@ExtendWith(OutputCaptureExtension.class)
class NodeIdentityFileIntegrationTests {

    private final FakeCoordinatorServer coordinator = FakeCoordinatorServer.start();

    @TempDir
    Path temp;

    @AfterEach
    void stopCoordinator() {
        this.coordinator.server.stop(0);
    }

    @Test
    void startWhenDataDirIsMissingShouldKeepTheIdentityOwnerOnly() throws Exception {
        Path dataDir = this.temp.resolve("fresh/agent");

        try (ConfigurableApplicationContext agent = start(dataDir)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> !this.coordinator.heartbeats.isEmpty());

            assertThat(dataDir.resolve("node.json")).content().contains(NodeAgentIntegrationTests.NODE_ID);
            assertThat(modes(dataDir))
                    .allSatisfy((path, mode) -> assertThat(mode)
                            .as(path.toString())
                            .isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------"));
        }
    }

    @Test
    void startWhenDataDirIsOpenToOthersShouldWarnNamingIt(CapturedOutput output) throws Exception {
        Path dataDir = Files.createDirectories(this.temp.resolve("shared"));
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path identity = Files.writeString(
                dataDir.resolve("node.json"),
                "{\"node_id\":\"node-00000000000000aa\",\"token\":\"old\",\"coordinator_url\":\"http://127.0.0.1:1\"}");
        Files.setPosixFilePermissions(identity, PosixFilePermissions.fromString("rw-r--r--"));

        try (ConfigurableApplicationContext agent = start(dataDir)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> !this.coordinator.registrations.isEmpty());

            assertThat(output.getOut())
                    .containsPattern("WARN .*" + dataDir + " has mode rwxr-xr-x: other local users can list it.*"
                            + "run chmod 700 " + dataDir)
                    .containsPattern("WARN .*" + identity + " has mode rw-r--r--: other local users can read it.*"
                            + "run chmod 600 " + identity);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
                    .isEqualTo("rwxr-xr-x");
        }
    }

    private ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(NodeAgentApplication.class)
                .run(
                        "--server.address=127.0.0.1",
                        "--server.port=0",
                        "--mesh.config.enabled=false",
                        "--mesh.agent.name=identity-node",
                        "--mesh.agent.token=join-secret",
                        "--mesh.agent.no-sync-config=true",
                        "--mesh.agent.heartbeat-interval=200ms",
                        "--mesh.agent.coordinator-url=" + this.coordinator.url(),
                        "--mesh.agent.data-dir=" + dataDir);
    }

    private static Map<Path, String> modes(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.collect(Collectors.toMap((path) -> path, (path) -> {
                try {
                    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }));
        }
    }
}
