package io.clawmesh.agent.runtime.install;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of {@code --auto-install} ({@code mesh.agent.install.*}). What is installed is pinned: an exact OpenClaw
 * version, a ZeroClaw release tag and, for ZeroClaw, the SHA-256 of the tarball.
 *
 * @param zeroclawReleaseUrl where tagged ZeroClaw releases are downloaded from ({@code <url>/<version>/<asset>}); https
 *     only
 * @param zeroclawVersion the ZeroClaw release tag installed
 * @param zeroclawSha256 the SHA-256 (hex) of {@code zeroclaw-<target>.tar.gz} of that release for this machine's
 *     platform; without it the install refuses unless {@code zeroclawAllowUnpinned}
 * @param zeroclawAllowUnpinned trust the {@code SHA256SUMS} published next to the tarball when no digest is pinned
 * @param openclawVersion the exact {@code openclaw} npm version installed (npm versions are immutable)
 * @param runtimeEnv further variables of the agent's environment that a started runtime may see (a name, or a prefix
 *     ending in {@code *}); {@code CLAW_MESH_*} and {@code MESH_*} are never passed
 * @param binDir where the ZeroClaw binary goes; defaults to {@code ~/.local/bin}
 * @param zeroclawPort the port the installed ZeroClaw gateway listens on (loopback)
 * @param openclawPort the port the installed OpenClaw gateway listens on (loopback)
 * @param healthTimeout how long a started runtime may take to answer its health endpoint
 * @param downloadTimeout how long one download may take
 */
@ConfigurationProperties("mesh.agent.install")
public record InstallProperties(
        @DefaultValue("https://github.com/zeroclaw-labs/zeroclaw/releases/download")
        URI zeroclawReleaseUrl,

        @DefaultValue("v0.8.4") String zeroclawVersion,
        @Nullable String zeroclawSha256,
        @DefaultValue("false") boolean zeroclawAllowUnpinned,
        @DefaultValue("2026.9.6") String openclawVersion,
        @DefaultValue List<String> runtimeEnv,
        @Nullable Path binDir,
        @DefaultValue("42617") int zeroclawPort,
        @DefaultValue("18789") int openclawPort,
        @DefaultValue("120s") Duration healthTimeout,
        @DefaultValue("10m") Duration downloadTimeout) {

    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

    private static final Pattern EXACT_VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?");

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    public InstallProperties {
        if (!TAG.matcher(zeroclawVersion).matches() || zeroclawVersion.contains("..")) {
            throw new IllegalArgumentException(
                    "mesh.agent.install.zeroclaw-version must be a release tag such as v0.8.4, not '" + zeroclawVersion
                            + "'");
        }
        if (zeroclawSha256 != null && zeroclawSha256.isBlank()) {
            zeroclawSha256 = null;
        }
        if (zeroclawSha256 != null && !SHA256.matcher(zeroclawSha256.strip()).matches()) {
            throw new IllegalArgumentException(
                    "mesh.agent.install.zeroclaw-sha256 must be 64 hex digits (the SHA-256 of the tarball)");
        }
        zeroclawSha256 = (zeroclawSha256 != null) ? zeroclawSha256.strip().toLowerCase(Locale.ROOT) : null;
        if (!EXACT_VERSION.matcher(openclawVersion).matches()) {
            throw new IllegalArgumentException(
                    "mesh.agent.install.openclaw-version must be an exact version such as 2026.9.6, not '"
                            + openclawVersion + "' (a range or a tag such as latest is not pinned)");
        }
        runtimeEnv = List.copyOf(runtimeEnv);
        runtimeEnv.forEach(RuntimeEnvironment::checkPassThrough);
    }
}
