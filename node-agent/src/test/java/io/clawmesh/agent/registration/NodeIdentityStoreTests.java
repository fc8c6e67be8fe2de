package io.clawmesh.agent.registration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdentityStoreTests {

    @TempDir
    Path temp;

    @Test
    void saveThenLoadShouldRoundTripTheIdentity() {
        NodeIdentityStore store = new NodeIdentityStore(this.temp.resolve("agent-mac-mini"));
        NodeIdentity identity = new NodeIdentity("node-3f9c2a1b7e6d5c4a", "secret", "http://127.0.0.1:9180");

        store.save(identity);

        assertThat(store.load()).contains(identity);
    }

    @Test
    void saveShouldWriteSnakeCaseJsonReadableByTheOwnerOnly() throws IOException {
        NodeIdentityStore store = new NodeIdentityStore(this.temp.resolve("agent"));

        store.save(new NodeIdentity("node-3f9c2a1b7e6d5c4a", "secret", "http://127.0.0.1:9180"));

        Path file = this.temp.resolve("agent/node.json");
        assertThat(Files.readString(file))
                .contains("\"node_id\":\"node-3f9c2a1b7e6d5c4a\"")
                .contains("\"coordinator_url\":\"http://127.0.0.1:9180\"");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void saveWhenIdentityExistsShouldReplaceItAndLeaveNoTemporaryFiles() throws IOException {
        NodeIdentityStore store = new NodeIdentityStore(this.temp);
        store.save(new NodeIdentity("node-0000000000000001", "first", "http://127.0.0.1:9180"));

        store.save(new NodeIdentity("node-0000000000000001", "second", "http://127.0.0.1:9180"));

        assertThat(store.load().orElseThrow().token()).isEqualTo("second");
        try (var files = Files.list(this.temp)) {
            assertThat(files)
                    .extracting(Path::getFileName)
                    .extracting(Path::toString)
                    .containsExactly("node.json");
        }
    }

    @Test
    void loadWhenFileIsMissingOrCorruptShouldAnswerEmpty() throws IOException {
        NodeIdentityStore store = new NodeIdentityStore(this.temp);
        assertThat(store.load()).isEmpty();

        Files.writeString(this.temp.resolve("node.json"), "{not json");

        assertThat(store.load()).isEmpty();
    }

    @Test
    void toStringShouldNotRevealTheToken() {
        NodeIdentity identity = new NodeIdentity("node-3f9c2a1b7e6d5c4a", "secret", "http://127.0.0.1:9180");

        assertThat(identity.toString()).doesNotContain("secret");
    }
}
