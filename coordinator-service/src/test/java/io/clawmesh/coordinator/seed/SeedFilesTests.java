package io.clawmesh.coordinator.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.clawmesh.common.seed.SeedFile;
import io.clawmesh.common.seed.SeedPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the coordinator serves for seed sync, and what it never serves (SPEC §5). */
class SeedFilesTests {

    @TempDir
    Path dir;

    private Path workspace;

    private SeedFiles files;

    @BeforeEach
    void setUp() throws IOException {
        this.workspace = Files.createDirectories(this.dir.resolve("workspace"));
        this.files = new SeedFiles(
                new SeedProperties(this.workspace, this.dir.resolve("openclaw.json")),
                new SharedConfigFilter(new SeedSharingProperties(List.of())));
    }

    @Test
    void workspaceShouldServeOnlyTheIdentityFilesAndMarkdownMemoryNotes() throws IOException {
        for (String name : new String[] {"SOUL.md", "IDENTITY.md", "AGENTS.md", "MEMORY.md", "TOOLS.md", "notes.txt"}) {
            Files.writeString(this.workspace.resolve(name), name);
        }
        Path memory = Files.createDirectories(this.workspace.resolve("memory"));
        Files.writeString(memory.resolve("b.md"), "b");
        Files.writeString(memory.resolve("a.md"), "a");
        Files.writeString(memory.resolve("c.txt"), "c");
        Files.writeString(memory.resolve(".hidden.md"), "h");
        Files.writeString(Files.createDirectories(memory.resolve("deep")).resolve("d.md"), "d");

        assertThat(this.files.workspace())
                .extracting(SeedFile::path)
                .containsExactly("AGENTS.md", "IDENTITY.md", "MEMORY.md", "SOUL.md", "memory/a.md", "memory/b.md");
    }

    @Test
    void workspaceShouldNotFollowSymbolicLinksEvenInsideTheWorkspace() throws IOException {
        Path secret = Files.writeString(this.dir.resolve("id_rsa"), "PRIVATE KEY");
        Files.createSymbolicLink(this.workspace.resolve("SOUL.md"), secret);
        Files.writeString(this.workspace.resolve("real.md"), "inside");
        Files.createSymbolicLink(this.workspace.resolve("MEMORY.md"), this.workspace.resolve("real.md"));
        Path outside = Files.createDirectories(this.dir.resolve("outside"));
        Files.writeString(outside.resolve("leak.md"), "leak");
        Files.createSymbolicLink(this.workspace.resolve("memory"), outside);

        assertThat(this.files.workspace()).isEmpty();
    }

    @Test
    void workspaceShouldSkipOversizeAndNonUtf8Files() throws IOException {
        Files.writeString(this.workspace.resolve("SOUL.md"), "x".repeat(SeedPaths.MAX_FILE_BYTES + 1));
        Files.write(this.workspace.resolve("IDENTITY.md"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        Files.writeString(this.workspace.resolve("AGENTS.md"), "x".repeat(SeedPaths.MAX_FILE_BYTES));

        assertThat(this.files.workspace()).extracting(SeedFile::path).containsExactly("AGENTS.md");
    }

    @Test
    void workspaceWhenTheDirIsMissingShouldBeEmpty() throws IOException {
        Files.delete(this.workspace);

        assertThat(this.files.workspace()).isEmpty();
    }

    @Test
    void configShouldDropNodeLocalKeysAndReadJson5() throws IOException {
        Files.writeString(
                this.dir.resolve("openclaw.json"),
                "{ /* c */ meta: {}, wizard: {}, channels: {}, gateway: {port: 1}, bindings: [], tools: {a: 'b',}, }");

        assertThat(this.files.config()).containsOnlyKeys("tools");
    }

    @Test
    void configThatIsNotAnObjectShouldBeUnavailableNotMissing() throws IOException {
        Files.writeString(this.dir.resolve("openclaw.json"), "[1, 2]");

        assertThatExceptionOfType(SeedConfigUnavailableException.class)
                .isThrownBy(this.files::config)
                .withMessageContaining("not a JSON object")
                .satisfies((ex) -> assertThat(ex.missing()).isFalse());
    }
}
