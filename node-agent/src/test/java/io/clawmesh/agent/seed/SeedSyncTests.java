package io.clawmesh.agent.seed;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.seed.SeedApi;
import io.clawmesh.common.seed.SeedFile;
import io.clawmesh.common.seed.SeedPaths;
import io.clawmesh.common.seed.SeedWorkspaceResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpClientErrorException;

/** Seed sync on the node: the config merge and the path rules for workspace files (SPEC §5, §9). */
class SeedSyncTests {

    @TempDir
    Path home;

    private Path config;

    private Path workspace;

    private final Offer offer = new Offer();

    @BeforeEach
    void setUp() {
        this.config = this.home.resolve(".openclaw/openclaw.json");
        this.workspace = this.home.resolve(".openclaw/workspace");
    }

    @Test
    void syncShouldMergeTheSharedConfigKeepTheNodesOwnKeysAndABackup() throws IOException {
        Files.createDirectories(this.config.getParent());
        String local = "// node config\n{ gateway: { port: 18789, auth: { token: 'node-token' } },"
                + " channels: { x: 1 }, agents: { defaults: { heartbeat: { every: '0m' } } }, tools: { a: 1 } }";
        Files.writeString(this.config, local);
        this.offer.config = Map.of(
                "agents", Map.of("defaults", Map.of("model", Map.of("primary", "fake/fake-echo"))),
                "tools", Map.of("a", 2),
                "gateway", Map.of("auth", Map.of("token", "coordinator-token")));

        SeedReport report = sync();

        assertThat(report.config()).isEqualTo("merged");
        assertThat(this.config)
                .content()
                .contains("node-token")
                .doesNotContain("coordinator-token")
                .contains("fake/fake-echo")
                .contains("\"every\" : \"0m\"")
                .contains("\"a\" : 2")
                .contains("\"channels\"");
        assertThat(this.config.resolveSibling("openclaw.json.bak")).content().isEqualTo(local);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(this.config)))
                .isEqualTo("rw-------");
    }

    @Test
    void syncWhenTheConfigAlreadyHasTheSharedKeysShouldNotRewriteIt() throws IOException {
        Files.createDirectories(this.config.getParent());
        Files.writeString(this.config, "{ tools: { a: 1 }, gateway: { port: 1 } }");
        this.offer.config = Map.of("tools", Map.of("a", 1));

        assertThat(sync().config()).isEqualTo("unchanged");
        assertThat(this.config.resolveSibling("openclaw.json.bak")).doesNotExist();
    }

    @Test
    void syncWhenTheCoordinatorHasNoConfigShouldStillWriteTheWorkspace() {
        this.offer.config = null;
        this.offer.files.add(new SeedFile("SOUL.md", "be kind"));

        SeedReport report = sync();

        assertThat(report.config()).isEqualTo("none offered");
        assertThat(report.written()).containsExactly("SOUL.md");
        assertThat(this.workspace.resolve("SOUL.md")).content().isEqualTo("be kind");
        assertThat(this.config).doesNotExist();
    }

    @Test
    void syncWhenTheLocalConfigIsBrokenShouldLeaveItAlone() throws IOException {
        Files.createDirectories(this.config.getParent());
        Files.writeString(this.config, "{ broken");
        this.offer.config = Map.of("tools", Map.of("a", 1));

        assertThat(sync().config()).startsWith("left alone");
        assertThat(this.config).content().isEqualTo("{ broken");
    }

    @Test
    void syncShouldRefuseEscapingAbsoluteForeignAndOversizeFiles() throws IOException {
        String big = "x".repeat(SeedPaths.MAX_FILE_BYTES + 1);
        for (String path : List.of(
                "../escape.md",
                "memory/../../escape.md",
                "/tmp/absolute.md",
                "~/home.md",
                "C:\\windows.md",
                "memory\\..\\x.md",
                "./SOUL.md",
                "memory//a.md",
                "memory/sub/deep.md",
                "TOOLS.md",
                "memory/notes.txt")) {
            this.offer.files.add(new SeedFile(path, "nope"));
        }
        this.offer.files.add(new SeedFile("MEMORY.md", big));
        this.offer.files.add(new SeedFile("memory/2026-11-23.md", "ok"));

        SeedReport report = sync();

        assertThat(report.written()).containsExactly("memory/2026-11-23.md");
        assertThat(report.refused()).hasSize(12);
        assertThat(report.refused())
                .anySatisfy(
                        (line) -> assertThat(line).isEqualTo("../escape.md: path with '..', '.' or an empty segment"))
                .anySatisfy((line) -> assertThat(line).isEqualTo("/tmp/absolute.md: absolute path"))
                .anySatisfy((line) -> assertThat(line).startsWith("MEMORY.md: larger than"));
        assertThat(this.home.resolve(".openclaw/escape.md")).doesNotExist();
        assertThat(this.home.resolve("escape.md")).doesNotExist();
        assertThat(Path.of("/tmp/absolute.md")).doesNotExist();
        try (var files = Files.walk(this.home)) {
            assertThat(files.filter(Files::isRegularFile)
                            .map((file) -> this.home.relativize(file).toString()))
                    .containsExactly(".openclaw/workspace/memory/2026-11-23.md");
        }
    }

    @Test
    void syncShouldNotWriteThroughSymbolicLinks() throws IOException {
        Path outside = Files.createDirectories(this.home.resolve("outside"));
        Path secret = Files.writeString(outside.resolve("authorized_keys"), "mine");
        Files.createDirectories(this.workspace);
        Files.createSymbolicLink(this.workspace.resolve("SOUL.md"), secret);
        Files.createSymbolicLink(this.workspace.resolve("memory"), outside);
        this.offer.files.add(new SeedFile("SOUL.md", "attacker"));
        this.offer.files.add(new SeedFile("memory/authorized_keys.md", "attacker"));
        this.offer.files.add(new SeedFile("IDENTITY.md", "fine"));

        SeedReport report = sync();

        assertThat(report.refused())
                .containsExactly(
                        "SOUL.md: symbolic link at SOUL.md", "memory/authorized_keys.md: symbolic link at memory");
        assertThat(report.written()).containsExactly("IDENTITY.md");
        assertThat(secret).content().isEqualTo("mine");
        assertThat(outside.resolve("authorized_keys.md")).doesNotExist();
    }

    @Test
    void syncShouldLeaveFilesWithTheSameContentAlone() throws IOException {
        Files.createDirectories(this.workspace);
        Files.writeString(this.workspace.resolve("SOUL.md"), "same");
        this.offer.files.add(new SeedFile("SOUL.md", "same"));

        SeedReport report = sync();

        assertThat(report.unchanged()).containsExactly("SOUL.md");
        assertThat(report.written()).isEmpty();
    }

    @Test
    void syncShouldUseTheWorkspaceOfTheLocalConfig() throws IOException {
        Files.createDirectories(this.config.getParent());
        Files.writeString(this.config, "{ agents: { defaults: { workspace: '~/agent-ws' } } }");
        this.offer.files.add(new SeedFile("AGENTS.md", "rules"));

        sync();

        assertThat(this.home.resolve("agent-ws/AGENTS.md"))
                .content(StandardCharsets.UTF_8)
                .isEqualTo("rules");
    }

    private SeedReport sync() {
        return new SeedSync(this.offer, Map.of(), this.home).sync();
    }

    /** What the coordinator offers, as its seed API answers it. */
    private static final class Offer implements SeedApi {

        @Nullable
        Map<String, Object> config = Map.of();

        final List<SeedFile> files = new ArrayList<>();

        @Override
        public Map<String, Object> config() {
            if (this.config == null) {
                throw HttpClientErrorException.create(
                        HttpStatus.NOT_FOUND, "Not Found", new HttpHeaders(), new byte[0], StandardCharsets.UTF_8);
            }
            return this.config;
        }

        @Override
        public SeedWorkspaceResponse workspace() {
            return new SeedWorkspaceResponse(this.files);
        }
    }
}
