package io.clawmesh.agent.runtime.openclaw;

import io.clawmesh.agent.AgentProperties;
import io.clawmesh.agent.runtime.GatewayAddress;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds the local OpenClaw gateway. The address comes from the flags or configuration
 * ({@code mesh.agent.gateway-endpoint}), then from {@code gateway.port} of {@code ~/.openclaw/openclaw.json}
 * ({@code OPENCLAW_CONFIG_PATH} when set), then the default port 18789. The token comes from
 * {@code mesh.agent.gateway-token}, then {@code OPENCLAW_GATEWAY_TOKEN}, then {@code CLAWDBOT_GATEWAY_TOKEN}, then
 * {@code gateway.auth.token} of the same file. Without a configured endpoint the gateway must answer
 * {@code GET /healthz} to count as found.
 */
public class OpenClawDiscovery {

    private static final Logger logger = LoggerFactory.getLogger(OpenClawDiscovery.class);

    // openclaw.json is JSON5: comments, unquoted keys, single quotes and trailing commas are allowed
    private static final JsonMapper JSON5 = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_UNQUOTED_PROPERTY_NAMES)
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();

    private final Map<String, String> environment;

    private final Path home;

    private final Supplier<HttpClient> http;

    public OpenClawDiscovery(Map<String, String> environment, Path home, HttpClient http) {
        this(environment, home, () -> http);
    }

    private OpenClawDiscovery(Map<String, String> environment, Path home, Supplier<HttpClient> http) {
        this.environment = environment;
        this.home = home;
        this.http = http;
    }

    /** Discovery with this process's environment and home directory, probing with the runtimes' shared client. */
    public static OpenClawDiscovery system(Supplier<HttpClient> http) {
        return new OpenClawDiscovery(System.getenv(), Path.of(System.getProperty("user.home")), http);
    }

    /**
     * The gateway settings when a gateway is configured or a local one answers {@code /healthz}; empty otherwise.
     */
    public Optional<OpenClawSettings> find(AgentProperties properties) {
        OpenClawSettings settings = settings(properties);
        if (properties.gatewayEndpoint() != null
                && !properties.gatewayEndpoint().isBlank()) {
            return Optional.of(settings);
        }
        if (healthy(settings.baseUrl())) {
            logger.info("Found an OpenClaw gateway at {} ({})", settings.baseUrl(), settings.source());
            return Optional.of(settings);
        }
        logger.debug("No OpenClaw gateway answers {}/healthz", settings.baseUrl());
        return Optional.empty();
    }

    /** The settings from flags, configuration, environment and {@code openclaw.json}, without checking the gateway. */
    public OpenClawSettings settings(AgentProperties properties) {
        JsonNode config = readConfig();
        String endpoint = properties.gatewayEndpoint();
        URI baseUrl;
        String source;
        if (endpoint != null && !endpoint.isBlank()) {
            baseUrl = OpenClawSettings.baseUrl(endpoint);
            source = "configuration";
        } else if (config.path("gateway").path("port").canConvertToInt()) {
            baseUrl = URI.create(
                    "http://127.0.0.1:" + config.path("gateway").path("port").asInt());
            source = configPath().toString();
        } else {
            baseUrl = URI.create("http://127.0.0.1:" + OpenClawSettings.DEFAULT_PORT);
            source = "default port";
        }
        return new OpenClawSettings(
                baseUrl,
                token(properties, config),
                OpenClawSettings.Transport.parse(properties.gatewayTransport()),
                properties.gatewayTimeout(),
                source);
    }

    private @Nullable String token(AgentProperties properties, JsonNode config) {
        String token = nonBlank(properties.gatewayToken());
        if (token == null) {
            token = nonBlank(this.environment.get("OPENCLAW_GATEWAY_TOKEN"));
        }
        if (token == null) {
            token = nonBlank(this.environment.get("CLAWDBOT_GATEWAY_TOKEN"));
        }
        if (token == null) {
            JsonNode configured = config.path("gateway").path("auth").path("token");
            token = configured.isString() ? nonBlank(configured.stringValue()) : null;
        }
        return token;
    }

    private JsonNode readConfig() {
        Path path = configPath();
        if (!Files.isRegularFile(path)) {
            return JSON5.missingNode();
        }
        try {
            return JSON5.readTree(Files.readString(path));
        } catch (IOException | JacksonException ex) {
            logger.warn("Ignoring {}: it cannot be read as JSON5 ({})", path, ex.getMessage());
            return JSON5.missingNode();
        }
    }

    private Path configPath() {
        String override = nonBlank(this.environment.get("OPENCLAW_CONFIG_PATH"));
        return (override != null)
                ? Path.of(override)
                : this.home.resolve(".openclaw").resolve("openclaw.json");
    }

    private boolean healthy(URI baseUrl) {
        return GatewayAddress.accepts(baseUrl) && answersHealthz(this.http.get(), baseUrl);
    }

    /** Whether {@code GET /healthz} of the gateway answers 200 within two seconds (no auth needed). */
    static boolean answersHealthz(HttpClient http, URI baseUrl) {
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve("/healthz"))
                .timeout(Duration.ofSeconds(2))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException ex) {
            return false;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static @Nullable String nonBlank(@Nullable String value) {
        return (value != null && !value.isBlank()) ? value.strip() : null;
    }
}
