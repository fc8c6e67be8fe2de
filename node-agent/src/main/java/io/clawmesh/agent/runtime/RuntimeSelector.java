package io.clawmesh.agent.runtime;

import io.clawmesh.agent.AgentProperties;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the runtime at start, in this order: {@code --no-gateway} means echo; {@code --runtime} forces one;
 * {@code --api-base} means the OpenAI-compatible runtime; {@code --gateway-endpoint} means whatever answers there
 * (ZeroClaw when its {@code /health} says so, else OpenClaw); otherwise the providers detect a local runtime in order;
 * then {@code --auto-install}; and when all that finds nothing, echo mode with one line that says how to get out of it.
 */
public class RuntimeSelector {

    private static final Logger logger = LoggerFactory.getLogger(RuntimeSelector.class);

    /** Installs and starts a runtime the machine can carry; answers what it started. */
    @FunctionalInterface
    public interface Installer {

        Installed install(RuntimeContext context);
    }

    /**
     * A runtime the agent installed and started.
     *
     * @param kind the provider to build it with
     * @param endpoint where it listens, {@code host:port}
     * @param token its token, if it has one the agent set
     * @param process stops it when the agent stops
     */
    public record Installed(
            String kind, String endpoint, @Nullable String token, AutoCloseable process) {}

    private final Map<String, RuntimeProvider> providers = new LinkedHashMap<>();

    private final Installer installer;

    /**
     * @param providers in detection order
     * @param installer used with {@code --auto-install} when nothing is found
     */
    public RuntimeSelector(List<RuntimeProvider> providers, Installer installer) {
        for (RuntimeProvider provider : providers) {
            this.providers.put(provider.kind(), provider);
        }
        this.installer = installer;
    }

    public RuntimeSelection select(RuntimeContext context) {
        AgentProperties properties = context.properties();
        if (properties.noGateway()) {
            logger.info(
                    "Echo mode requested (--no-gateway): every message is answered with \"{}<content>\".",
                    EchoRuntime.PREFIX);
            return only(new EchoRuntime());
        }
        String forced = blankToNull(properties.runtime());
        if (forced != null) {
            return only(forced(forced.toLowerCase(Locale.ROOT), context));
        }
        if (blankToNull(properties.apiBase()) != null) {
            return only(provider("openai").create(context));
        }
        String endpoint = blankToNull(properties.gatewayEndpoint());
        if (endpoint != null) {
            boolean zeroclaw = io.clawmesh.agent.runtime.zeroclaw.ZeroClawRuntime.isZeroClaw(
                    GatewayAddress.baseUri(endpoint), context.http());
            return only(provider(zeroclaw ? "zeroclaw" : "openclaw").create(context));
        }
        for (RuntimeProvider provider : this.providers.values()) {
            Optional<AgentRuntime> found = provider.detect(context);
            if (found.isPresent()) {
                return only(found.get());
            }
        }
        if (properties.autoInstall()) {
            return installed(context);
        }
        logger.info("No AI runtime configured or found (no OpenClaw gateway, no ZeroClaw on 127.0.0.1:42617): running "
                + "in echo mode. Use --auto-install, --runtime or --gateway-endpoint to connect one.");
        return only(new EchoRuntime());
    }

    private AgentRuntime forced(String kind, RuntimeContext context) {
        if (kind.equals("echo")) {
            logger.info(
                    "Echo mode requested (--runtime echo): every message is answered with \"{}<content>\".",
                    EchoRuntime.PREFIX);
            return new EchoRuntime();
        }
        if (!this.providers.containsKey(kind)) {
            throw new IllegalStateException("mesh.agent.runtime '" + kind + "' is not one of "
                    + String.join(", ", this.providers.keySet()) + " (or echo)");
        }
        return provider(kind).create(context);
    }

    private RuntimeSelection installed(RuntimeContext context) {
        Installed installed = this.installer.install(context);
        List<AutoCloseable> owned = new ArrayList<>(List.of(installed.process()));
        try {
            RuntimeContext gateway = context.withGateway(installed.endpoint(), installed.token());
            return new RuntimeSelection(provider(installed.kind()).create(gateway), owned);
        } catch (RuntimeException ex) {
            new RuntimeSelection(new EchoRuntime(), owned).destroy();
            throw ex;
        }
    }

    private RuntimeProvider provider(String kind) {
        RuntimeProvider provider = this.providers.get(kind);
        if (provider == null) {
            throw new IllegalStateException("no " + kind + " runtime in this build");
        }
        return provider;
    }

    private static RuntimeSelection only(AgentRuntime runtime) {
        return new RuntimeSelection(runtime, List.of());
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return (value == null || value.isBlank()) ? null : value.strip();
    }
}
