package io.clawmesh.cli;

import io.clawmesh.cli.client.MeshClients;
import io.clawmesh.cli.settings.CliEnvironment;
import io.clawmesh.cli.support.CliException;
import io.clawmesh.cli.support.ExitCode;
import io.clawmesh.common.config.ClawMeshConfigFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/** The {@code init} verb: writes a commented {@code claw-mesh.yaml} with a fresh operator token (SPEC §12). */
@Component
public class InitCommands {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final MeshClients clients;

    private final CliEnvironment environment;

    public InitCommands(MeshClients clients, CliEnvironment environment) {
        this.clients = clients;
        this.environment = environment;
    }

    @Command(
            name = "init",
            group = "Setup",
            description = "Write a commented claw-mesh.yaml with a random operator token (mode 0600);"
                    + " refuses to overwrite one without --force")
    public void init(
            CommandContext context,
            @Option(
                            longName = "path",
                            description = "where to write it (default ~/.claw-mesh/claw-mesh.yaml, or --config)")
                    @Nullable
                    String path,
            @Option(longName = "force", description = "overwrite an existing file") @Nullable Boolean force) {
        String explicit = (path != null) ? path : this.clients.options(context).config();
        Path file = (explicit != null)
                ? Path.of(explicit)
                : this.environment.home().resolve(".claw-mesh").resolve(ClawMeshConfigFile.FILE_NAME);
        if (Files.exists(file) && !Boolean.TRUE.equals(force)) {
            throw new CliException(
                    ExitCode.REFUSED, file + " exists; keep it, or overwrite it with claw-mesh init --force");
        }
        String given = this.clients.options(context).token();
        String token = (given != null) ? given : newToken();
        write(file, template().replace("@token@", token));
        PrintWriter out = context.outputWriter();
        out.println("wrote " + file + " (mode 0600) with " + ((given != null) ? "the given" : "a new random")
                + " operator token");
        out.println("next: claw-mesh up" + (isSearched(file) ? "" : " --config " + file)
                + "   (the CLI finds the token there as well)");
        out.flush();
    }

    private boolean isSearched(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        return absolute.equals(this.environment.home().resolve(".claw-mesh").resolve(ClawMeshConfigFile.FILE_NAME))
                || absolute.equals(this.environment.workingDir().resolve(ClawMeshConfigFile.FILE_NAME));
    }

    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String template() {
        try (InputStream in = InitCommands.class.getResourceAsStream("/claw-mesh.yaml.template")) {
            if (in == null) {
                throw new IllegalStateException("claw-mesh.yaml.template is missing from the CLI jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Writes the file with mode 0600 from the first byte: a temporary file created private, then moved in place. */
    private static void write(Path file, String content) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp;
            try {
                temp = Files.createTempFile(
                        dir,
                        ".claw-mesh",
                        ".yaml",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException ex) {
                temp = Files.createTempFile(dir, ".claw-mesh", ".yaml");
            }
            Files.writeString(temp, content);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException ex) {
            throw new CliException(ExitCode.REFUSED, file + " exists; overwrite it with claw-mesh init --force");
        } catch (IOException ex) {
            throw new CliException(ExitCode.REFUSED, "cannot write " + file + ": " + ex.getMessage());
        }
    }
}
