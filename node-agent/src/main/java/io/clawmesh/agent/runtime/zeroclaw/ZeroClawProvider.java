package io.clawmesh.agent.runtime.zeroclaw;

import io.clawmesh.agent.AgentProperties;
import io.clawmesh.agent.runtime.AgentRuntime;
import io.clawmesh.agent.runtime.GatewayAddress;
import io.clawmesh.agent.runtime.RuntimeContext;
import io.clawmesh.agent.runtime.RuntimeProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the ZeroClaw runtime from {@code --gateway-endpoint} (default {@code 127.0.0.1:42617}),
 * {@code --gateway-token} and {@code --zeroclaw-agent}, and detects a local gateway on the port of
 * {@code ~/.zeroclaw/config.toml} (or {@code $ZEROCLAW_CONFIG_DIR/config.toml}), else the default port.
 */
public class ZeroClawProvider implements RuntimeProvider {

    private static final Logger logger = LoggerFactory.getLogger(ZeroClawProvider.class);

    private static final Pattern PORT = Pattern.compile("(?m)^\\s*port\\s*=\\s*(\\d{1,5})\\s*(#.*)?$");

    private final Map<String, String> env;

    private final Path home;

    public ZeroClawProvider(Map<String, String> env, Path home) {
        this.env = env;
        this.home = home;
    }

    @Override
    public String kind() {
        return ZeroClawHttp.KIND;
    }

    @Override
    public AgentRuntime create(RuntimeContext context) {
        AgentProperties properties = context.properties();
        URI base = (properties.gatewayEndpoint() != null
                        && !properties.gatewayEndpoint().isBlank())
                ? GatewayAddress.baseUri(properties.gatewayEndpoint())
                : GatewayAddress.loopback(configuredPort());
        return create(context, base);
    }

    @Override
    public Optional<AgentRuntime> detect(RuntimeContext context) {
        URI base = GatewayAddress.loopback(configuredPort());
        if (!GatewayAddress.accepts(base) || !ZeroClawRuntime.isZeroClaw(base, context.http())) {
            return Optional.empty();
        }
        logger.info("Found a ZeroClaw gateway at {}", base);
        return Optional.of(create(context, base));
    }

    private AgentRuntime create(RuntimeContext context, URI base) {
        AgentProperties properties = context.properties();
        ZeroClawSettings settings = new ZeroClawSettings(
                base,
                blankToNull(properties.gatewayToken()),
                blankToNull(properties.zeroclawAgent()),
                context.dataDir().resolve(ZeroClawSettings.TOKEN_FILE));
        return new ZeroClawRuntime(settings, context.http(), context.clock());
    }

    /** The {@code [gateway] port} of ZeroClaw's config file, or the default port. */
    int configuredPort() {
        String dir = this.env.get("ZEROCLAW_CONFIG_DIR");
        Path config = (dir != null && !dir.isBlank())
                ? Path.of(dir, "config.toml")
                : this.home.resolve(".zeroclaw").resolve("config.toml");
        try {
            if (Files.isRegularFile(config)) {
                String gateway = section(Files.readAllLines(config), "[gateway]");
                Matcher matcher = PORT.matcher(gateway);
                if (matcher.find()) {
                    return Integer.parseInt(matcher.group(1));
                }
            }
        } catch (IOException | RuntimeException ex) {
            logger.debug("Cannot read the gateway port from {}: {}", config, ex.getMessage());
        }
        return ZeroClawSettings.DEFAULT_PORT;
    }

    private static String section(List<String> lines, String header) {
        StringBuilder section = new StringBuilder();
        boolean inside = false;
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.startsWith("[")) {
                inside = trimmed.equals(header);
                continue;
            }
            if (inside) {
                section.append(line).append('\n');
            }
        }
        return section.toString();
    }

    private static String blankToNull(String value) {
        return (value == null || value.isBlank()) ? null : value.strip();
    }
}
