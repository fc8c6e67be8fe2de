package io.clawmesh.agent.runtime.install;

import io.clawmesh.agent.runtime.RuntimeContext;
import io.clawmesh.agent.runtime.RuntimeSelector;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs ZeroClaw as its project documents it: the release tarball for this platform
 * ({@code zeroclaw-<target>.tar.gz}), verified against the release's {@code SHA256SUMS}, of which only the
 * {@code zeroclaw} binary is installed (into {@code ~/.local/bin}); then starts {@code zeroclaw daemon} on loopback and
 * waits for {@code GET /health}. A checksum mismatch aborts before anything is installed.
 */
public class ZeroClawInstaller {

    private static final Logger logger = LoggerFactory.getLogger(ZeroClawInstaller.class);

    private static final long MAX_BINARY_BYTES = 512L * 1024 * 1024;

    private final InstallProperties properties;

    private final Path binDir;

    private final Commands commands;

    private final String target;

    private final Clock clock;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    public ZeroClawInstaller(InstallProperties properties, Path binDir, Commands commands, String target, Clock clock) {
        this.properties = properties;
        this.binDir = binDir;
        this.commands = commands;
        this.target = target;
        this.clock = clock;
    }

    /** Installs ZeroClaw unless it is there already, starts it and answers where it listens. */
    public RuntimeSelector.Installed install(RuntimeContext context) {
        Path binary = installed().orElseGet(this::download);
        return start(binary, context);
    }

    /** The binary when ZeroClaw is already on PATH or in the bin dir. */
    Optional<Path> installed() {
        Path local = this.binDir.resolve("zeroclaw");
        Optional<Path> found = Files.isExecutable(local) ? Optional.of(local) : this.commands.which("zeroclaw");
        found.ifPresent((path) -> logger.info("Auto-install: ZeroClaw is already installed at {}", path));
        return found;
    }

    /** Downloads, verifies and installs the binary; answers its path. */
    Path download() {
        String asset = "zeroclaw-" + this.target + ".tar.gz";
        URI assetUri = resolve(asset);
        URI sumsUri = resolve("SHA256SUMS");
        String byHand = "curl -fLO " + assetUri + " && curl -fLO " + sumsUri
                + " && sha256sum --check --ignore-missing SHA256SUMS && tar -xzf " + asset + " zeroclaw"
                + " && install -m 755 zeroclaw " + this.binDir.resolve("zeroclaw");
        Path work = null;
        try {
            work = Files.createTempDirectory("claw-mesh-zeroclaw-");
            Path archive = fetch(assetUri, work.resolve(asset), byHand);
            Path sums = fetch(sumsUri, work.resolve("SHA256SUMS"), byHand);
            verify(archive, asset, sums, byHand);
            Path binary = work.resolve("zeroclaw");
            logger.info("Auto-install: extracting only the zeroclaw binary from {}", asset);
            if (!TarGz.extract(archive, "zeroclaw", binary, MAX_BINARY_BYTES)) {
                throw new InstallFailedException(asset + " holds no 'zeroclaw' binary at its root", byHand);
            }
            return place(binary, byHand);
        } catch (IOException ex) {
            throw new InstallFailedException("installing ZeroClaw failed: " + ex.getMessage(), byHand, ex);
        } finally {
            deleteQuietly(work);
        }
    }

    private Path fetch(URI uri, Path file, String byHand) throws IOException {
        logger.info("Auto-install: downloading {}", uri);
        HttpResponse<Path> response;
        try {
            response = this.http.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(this.properties.downloadTimeout())
                            .build(),
                    HttpResponse.BodyHandlers.ofFile(file));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new InstallFailedException("interrupted while downloading " + uri, byHand, ex);
        } catch (java.net.ConnectException ex) {
            throw new InstallFailedException("cannot download " + uri + " (connection refused)", byHand, ex);
        } catch (IOException ex) {
            throw new InstallFailedException(
                    "cannot download " + uri + " (" + ex.getClass().getSimpleName() + " " + ex.getMessage() + ")",
                    byHand,
                    ex);
        }
        if (response.statusCode() != 200) {
            throw new InstallFailedException(
                    "downloading " + uri + " answered " + response.statusCode() + " (is there a ZeroClaw release for "
                            + this.target + "?)",
                    byHand);
        }
        return file;
    }

    private void verify(Path archive, String asset, Path sums, String byHand) throws IOException {
        logger.info("Auto-install: verifying {} against SHA256SUMS", asset);
        String expected = expectedSum(Files.readAllLines(sums), asset);
        if (expected == null) {
            throw new InstallFailedException(
                    "SHA256SUMS has no line for " + asset + ", so it cannot be verified; nothing was installed",
                    byHand);
        }
        String actual = sha256(archive);
        if (!actual.equals(expected)) {
            throw new InstallFailedException(
                    "checksum mismatch for " + asset + ": SHA256SUMS says " + expected + ", the download has " + actual
                            + "; nothing was installed",
                    byHand);
        }
        logger.info("Auto-install: checksum of {} matches ({})", asset, actual);
    }

    private Path place(Path binary, String byHand) throws IOException {
        Files.createDirectories(this.binDir);
        Path installed = this.binDir.resolve("zeroclaw");
        Path temporary = this.binDir.resolve(".zeroclaw.claw-mesh-tmp");
        Files.copy(binary, temporary, StandardCopyOption.REPLACE_EXISTING);
        try {
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rwxr-xr-x"));
            try {
                Files.move(temporary, installed, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException ex) {
                Files.move(temporary, installed, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
        logger.info("Auto-install: installed {} (the binary only)", installed);
        return installed;
    }

    private RuntimeSelector.Installed start(Path binary, RuntimeContext context) {
        int port = this.properties.zeroclawPort();
        List<String> command = List.of(binary.toString(), "daemon", "-p", String.valueOf(port), "--host", "127.0.0.1");
        Map<String, String> env = new HashMap<>(this.commands.env());
        env.put("ZEROCLAW_gateway__host", "127.0.0.1");
        env.put("ZEROCLAW_gateway__port", String.valueOf(port));
        // ZeroClaw cuts every request at 30 s by default; give it as long as the agent waits
        long timeout = Math.max(30, context.properties().gatewayTimeout().toSeconds());
        env.put("ZEROCLAW_gateway__request_timeout_secs", String.valueOf(timeout));
        RuntimeProcess process = RuntimeProcess.startHealthy(
                "zeroclaw",
                command,
                env,
                context.dataDir().resolve("zeroclaw-daemon.log"),
                URI.create("http://127.0.0.1:" + port + "/health"),
                this.properties.healthTimeout(),
                this.http,
                this.clock);
        logger.info(
                "Auto-install: ZeroClaw runs on 127.0.0.1:{}. If it has no model yet, its replies say "
                        + "needs_quickstart: run 'zeroclaw quickstart' once on this machine",
                port);
        return new RuntimeSelector.Installed("zeroclaw", "127.0.0.1:" + port, null, process);
    }

    /** The Rust target triple of ZeroClaw's release assets for this platform. */
    static String target(String osName, String osArch, boolean musl) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        String cpu = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            case "arm", "armv7", "armv7l" -> "armv7";
            default -> null;
        };
        if (cpu != null && os.startsWith("linux")) {
            return cpu.equals("armv7")
                    ? "armv7-unknown-linux-gnueabihf"
                    : cpu + "-unknown-linux-" + (musl ? "musl" : "gnu");
        }
        if (cpu != null && (os.startsWith("mac") || os.startsWith("darwin")) && !cpu.equals("armv7")) {
            return cpu + "-apple-darwin";
        }
        throw new InstallFailedException(
                "there is no ZeroClaw release tarball for " + osName + "/" + osArch,
                "download the right asset from https://github.com/zeroclaw-labs/zeroclaw/releases and put the "
                        + "zeroclaw binary on PATH");
    }

    /** Whether this Linux uses musl libc (Alpine), for which ZeroClaw publishes separate builds. */
    static boolean musl() {
        try (Stream<Path> lib = Files.list(Path.of("/lib"))) {
            return lib.anyMatch((file) -> file.getFileName().toString().startsWith("ld-musl-"));
        } catch (IOException | RuntimeException ex) {
            return false;
        }
    }

    private URI resolve(String name) {
        String base = this.properties.zeroclawReleaseUrl().toString().replaceAll("/+$", "");
        return URI.create(base + "/" + name);
    }

    static @Nullable String expectedSum(List<String> lines, String asset) {
        for (String line : lines) {
            String[] parts = line.strip().split("\\s+", 2);
            if (parts.length == 2
                    && parts[1].replaceFirst("^\\*", "")
                            .replaceFirst("^\\./", "")
                            .equals(asset)) {
                return parts[0].toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void deleteQuietly(@Nullable Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach((file) -> file.toFile().delete());
        } catch (IOException ex) {
            logger.debug("Cannot clean up {}: {}", dir, ex.getMessage());
        }
    }
}
