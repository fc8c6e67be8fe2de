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
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs ZeroClaw as its project documents it: the release tarball of the pinned tag for this platform
 * ({@code zeroclaw-<target>.tar.gz}), over https only, verified against the pinned SHA-256 (or, when the operator opts
 * in, the tag's {@code SHA256SUMS}), of which only the {@code zeroclaw} binary is installed (into
 * {@code ~/.local/bin}); then starts {@code zeroclaw daemon} on loopback, with a cleaned environment, and waits for
 * {@code GET /health}. A checksum mismatch aborts before anything is installed.
 */
public class ZeroClawInstaller {

    private static final Logger logger = LoggerFactory.getLogger(ZeroClawInstaller.class);

    private static final long MAX_BINARY_BYTES = 512L * 1024 * 1024;

    private final InstallProperties properties;

    private final Path binDir;

    private final Commands commands;

    private final String target;

    private final Clock clock;

    private final HttpClient http;

    public ZeroClawInstaller(InstallProperties properties, Path binDir, Commands commands, String target, Clock clock) {
        this(properties, binDir, commands, target, clock, httpClient(null));
    }

    ZeroClawInstaller(
            InstallProperties properties, Path binDir, Commands commands, String target, Clock clock, HttpClient http) {
        this.properties = properties;
        this.binDir = binDir;
        this.commands = commands;
        this.target = target;
        this.clock = clock;
        this.http = http;
    }

    /** The download client: redirects followed except from https to http; {@code tls} null means the JDK's trust. */
    static HttpClient httpClient(@Nullable SSLContext tls) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(10));
        if (tls != null) {
            builder.sslContext(tls);
        }
        return builder.build();
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
        String pinned = this.properties.zeroclawSha256();
        String check = (pinned != null)
                ? " && echo '" + pinned + "  " + asset + "' | sha256sum --check"
                : " && curl -fLO " + sumsUri + " && sha256sum --check --ignore-missing SHA256SUMS";
        String byHand = "curl -fLO " + assetUri + check + " && tar -xzf " + asset + " zeroclaw"
                + " && install -m 755 zeroclaw " + this.binDir.resolve("zeroclaw");
        requireHttps(assetUri, byHand);
        if (pinned == null && !this.properties.zeroclawAllowUnpinned()) {
            throw new InstallFailedException(
                    "no SHA-256 is pinned for " + asset + " of ZeroClaw " + this.properties.zeroclawVersion()
                            + ", so a replaced release could not be told apart; nothing was downloaded. Set "
                            + "mesh.agent.install.zeroclaw-sha256 to its SHA-256 from a source you trust, or "
                            + "mesh.agent.install.zeroclaw-allow-unpinned=true to trust the release's own SHA256SUMS",
                    byHand);
        }
        Path work = null;
        try {
            work = Files.createTempDirectory("claw-mesh-zeroclaw-");
            Path archive = fetch(assetUri, work.resolve(asset), byHand);
            if (pinned != null) {
                verify(archive, asset, pinned, "the pinned mesh.agent.install.zeroclaw-sha256", byHand);
            } else {
                logger.warn(
                        "Auto-install: no SHA-256 pinned for {}: trusting the SHA256SUMS of the same release "
                                + "(mesh.agent.install.zeroclaw-allow-unpinned)",
                        asset);
                Path sums = fetch(sumsUri, work.resolve("SHA256SUMS"), byHand);
                String expected = expectedSum(Files.readAllLines(sums), asset);
                if (expected == null) {
                    throw new InstallFailedException(
                            "SHA256SUMS has no line for " + asset + ", so it cannot be verified; nothing was installed",
                            byHand);
                }
                verify(archive, asset, expected, "SHA256SUMS", byHand);
            }
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

    /** Refuses a download that is not https: anyone on the path could replace a plain-http file. */
    private static void requireHttps(URI uri, String byHand) {
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw new InstallFailedException(
                    "refusing to download " + uri + ": mesh.agent.install.zeroclaw-release-url must be an https:// "
                            + "URL (plain " + uri.getScheme() + " can be altered on the way); nothing was downloaded",
                    byHand);
        }
    }

    private Path fetch(URI uri, Path file, String byHand) throws IOException {
        requireHttps(uri, byHand);
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

    private static void verify(Path archive, String asset, String expected, String source, String byHand)
            throws IOException {
        logger.info("Auto-install: verifying {} against {}", asset, source);
        String actual = sha256(archive);
        if (!actual.equals(expected)) {
            throw new InstallFailedException(
                    "checksum mismatch for " + asset + ": " + source + " says " + expected + ", the download has "
                            + actual + "; nothing was installed",
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
        Map<String, String> own = new HashMap<>();
        own.put("ZEROCLAW_gateway__host", "127.0.0.1");
        own.put("ZEROCLAW_gateway__port", String.valueOf(port));
        // ZeroClaw cuts every request at 30 s by default; give it as long as the agent waits
        long timeout = Math.max(30, context.properties().gatewayTimeout().toSeconds());
        own.put("ZEROCLAW_gateway__request_timeout_secs", String.valueOf(timeout));
        Map<String, String> env = this.commands.runtimeEnv(List.of("ZEROCLAW_*"), own);
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
        return URI.create(base + "/" + this.properties.zeroclawVersion() + "/" + name);
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
