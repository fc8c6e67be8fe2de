package io.clawmesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real coordinator started on a data dir, as {@code java -jar} starts it (no launcher and its umask in front):
 * what it creates is owner-only, and a dir that other users can read is named in a warning and left as it is.
 */
@ExtendWith(OutputCaptureExtension.class)
class DataDirectoryIntegrationTests {

    private static final String TOKEN = "data-dir-operator-token";

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path temp;

    @Test
    void startWhenDataDirIsMissingShouldCreateItAndEveryFileInItOwnerOnly() throws Exception {
        Path dataDir = this.temp.resolve("fresh/data");

        try (ConfigurableApplicationContext coordinator = start(dataDir, null)) {
            String token = Files.readString(dataDir.resolve("operator-token")).strip();
            assertThat(nodes(coordinator, token).statusCode()).isEqualTo(200);

            assertThat(dataDir.resolve("coordinator.mv.db")).isRegularFile();
            assertThat(modes(dataDir))
                    .containsKeys(dataDir, dataDir.resolve("operator-token"), dataDir.resolve("coordinator.mv.db"))
                    .allSatisfy((path, mode) -> assertThat(mode)
                            .as(path.toString())
                            .isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------"));
        }
    }

    @Test
    void startWhenDataDirIsOpenToOthersShouldWarnNamingItAndLeaveItAsItIs(CapturedOutput output) throws Exception {
        Path dataDir = Files.createDirectories(this.temp.resolve("shared"));
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));

        try (ConfigurableApplicationContext coordinator = start(dataDir, TOKEN)) {
            assertThat(nodes(coordinator, TOKEN).statusCode()).isEqualTo(200);

            assertThat(output.getOut())
                    .containsPattern("WARN .*" + dataDir + " has mode rwxr-xr-x: other local users can list it.*"
                            + "run chmod 700 " + dataDir);
            assertThat(modes(dataDir))
                    .containsEntry(dataDir, "rwxr-xr-x")
                    .containsEntry(dataDir.resolve("coordinator.mv.db"), "rw-------");
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir, @Nullable String token) {
        SpringApplicationBuilder builder = new SpringApplicationBuilder(CoordinatorApplication.class);
        return builder.run(
                "--server.address=127.0.0.1",
                "--server.port=0",
                "--mesh.config.enabled=false",
                "--mesh.data-dir=" + dataDir,
                "--mesh.security.token=" + ((token != null) ? token : ""),
                "--mesh.health.probe-tick=1h",
                "--mesh.health.sweep-interval=1h");
    }

    private HttpResponse<String> nodes(ConfigurableApplicationContext coordinator, String token)
            throws IOException, InterruptedException {
        String port = coordinator.getEnvironment().getProperty("local.server.port");
        return this.http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/nodes"))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
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
