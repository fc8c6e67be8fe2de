package io.clawmesh.cli;

import io.clawmesh.cli.client.AuditClient;
import io.clawmesh.cli.client.MeshClients;
import io.clawmesh.cli.output.Output;
import io.clawmesh.cli.settings.ConnectionSettings;
import io.clawmesh.common.audit.RotatedToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.stereotype.Component;

/**
 * {@code claw-mesh token rotate}: a new operator token. When this CLI read the old one from the local token file that
 * {@code claw-mesh up} wrote, the new one goes there (the coordinator writes its own data dir's file too); otherwise
 * it is printed once, with what to change.
 */
@Component
public class TokenCommands {

    private final MeshClients clients;

    public TokenCommands(MeshClients clients) {
        this.clients = clients;
    }

    @Command(
            name = {"token", "rotate"},
            group = "Security",
            description = "Rotate the operator token: a new one works at once, the old one until the overlap window"
                    + " ends (mesh.security.rotation-overlap, default 1h)")
    public void rotate(CommandContext context) {
        AuditClient audit = this.clients.audit(context);
        ConnectionSettings settings = audit.settings();
        RotatedToken rotated = audit.rotateToken();
        Path localFile = settings.dataDir().resolve("operator-token");
        boolean fromLocalFile = settings.tokenSource().equals(localFile.toString());
        @Nullable String written = null;
        @Nullable String problem = null;
        if (fromLocalFile) {
            try {
                writeOwnerOnly(localFile, rotated.token());
                written = localFile.toString();
            } catch (IOException ex) {
                problem = "could not write " + localFile + " (" + ex.getMessage() + ")";
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("token", rotated.token());
        json.put("fingerprint", rotated.fingerprint());
        json.put("previous_valid_until", rotated.previousValidUntil().toString());
        json.put("written_to", written);
        String file = written;
        String failure = problem;
        Output.print(context.outputWriter(), settings.json(), json, () -> text(rotated, settings, file, failure));
    }

    private static String text(
            RotatedToken rotated, ConnectionSettings settings, @Nullable String written, @Nullable String problem) {
        StringBuilder text = new StringBuilder("rotated the operator token: the new one is " + rotated.fingerprint()
                + "; the old one works until " + rotated.previousValidUntil() + "\n");
        if (written != null) {
            text.append("wrote the new token to ").append(written).append(" (where this CLI found the old one)");
            return text.toString();
        }
        if (problem != null) {
            text.append(problem).append("\n");
        }
        text.append("new operator token (shown this once): ")
                .append(rotated.token())
                .append("\nthis CLI read the old one from ")
                .append(settings.tokenSource())
                .append(": put the new one there before ")
                .append(rotated.previousValidUntil())
                .append(" (CLAW_MESH_TOKEN, coordinator.token in claw-mesh.yaml, or --token), and on the coordinator"
                        + " replace a CLAW_MESH_TOKEN / mesh.security.token with it too: after a rotation the database"
                        + " decides, and the configured token only works while it is one the database accepts");
        return text.toString();
    }

    private static void writeOwnerOnly(Path file, String token) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), "operator-token", ".tmp");
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        }
        Files.writeString(temp, token + "\n", StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
