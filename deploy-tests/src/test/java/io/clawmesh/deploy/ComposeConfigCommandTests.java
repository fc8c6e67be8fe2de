package io.clawmesh.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker-compose config} (Debian's docker-compose, or {@code docker compose} where an engine's CLI plugin
 * is installed) validates docker/compose.yaml against the Compose schema, with the example env file; skipped with
 * the reason when neither is installed. No container is started: there is no Docker engine here.
 */
class ComposeConfigCommandTests {

    private List<String> compose;

    @BeforeEach
    void findCompose() {
        Optional<Path> binary = Commands.onPath("docker-compose");
        assumeTrue(
                binary.isPresent(),
                "docker-compose is not installed (apt-get install --no-install-recommends docker-compose); "
                        + "the compose file is still checked by ComposeFileTests");
        this.compose = List.of(binary.get().toString(), "--project-directory", ".", "-f", "compose.yaml");
    }

    @Test
    void configWithTheExampleEnvFileShouldBeValid() {
        Commands.Result result = run("--env-file", ".env.example", "config");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("coordinator:").contains("jdbc:postgresql://postgres:5432/clawmesh");
    }

    @Test
    void configWithoutTheTokensShouldFailNamingTheMissingSetting(@TempDir Path empty) throws Exception {
        Path envFile = Files.writeString(empty.resolve("empty.env"), "# no tokens\n");

        Commands.Result result = run("--env-file", envFile.toString(), "config", "-q");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("in docker/.env (copy .env.example)");
    }

    private Commands.Result run(String... arguments) {
        List<String> command = new java.util.ArrayList<>(this.compose);
        command.addAll(List.of(arguments));
        return Commands.run(
                DeployFiles.root().resolve("docker"),
                command,
                List.of("CLAW_MESH_TOKEN", "CLAW_MESH_JOIN_TOKEN", "POSTGRES_PASSWORD"));
    }
}
