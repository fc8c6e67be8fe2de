package io.clawmesh.agent.runtime.install;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of {@code --auto-install} ({@code mesh.agent.install.*}).
 *
 * @param zeroclawReleaseUrl where {@code zeroclaw-<target>.tar.gz} and {@code SHA256SUMS} are downloaded from
 * @param binDir where the ZeroClaw binary goes; defaults to {@code ~/.local/bin}
 * @param zeroclawPort the port the installed ZeroClaw gateway listens on (loopback)
 * @param openclawPort the port the installed OpenClaw gateway listens on (loopback)
 * @param healthTimeout how long a started runtime may take to answer its health endpoint
 * @param downloadTimeout how long one download may take
 */
@ConfigurationProperties("mesh.agent.install")
public record InstallProperties(
        @DefaultValue("https://github.com/zeroclaw-labs/zeroclaw/releases/latest/download")
        URI zeroclawReleaseUrl,

        @Nullable Path binDir,
        @DefaultValue("42617") int zeroclawPort,
        @DefaultValue("18789") int openclawPort,
        @DefaultValue("120s") Duration healthTimeout,
        @DefaultValue("10m") Duration downloadTimeout) {}
