package io.clawmesh.agent.registration;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.clawmesh.agent.AgentProperties;
import io.clawmesh.agent.Backoff;
import io.clawmesh.agent.LocalNode;
import io.clawmesh.agent.capabilities.CapabilityMonitor;
import io.clawmesh.agent.runtime.AgentRuntime;
import io.clawmesh.agent.runtime.CapacityGate;
import io.clawmesh.common.api.CoordinatorApi;
import io.clawmesh.common.json.StrictJson;
import io.clawmesh.common.node.ConnectMode;
import io.clawmesh.common.node.Endpoint;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Wires registration: the node's identity, the coordinator client and the heartbeat loop. */
@Configuration(proxyBeanMethods = false)
public class RegistrationConfiguration {

    private static final Logger logger = LoggerFactory.getLogger(RegistrationConfiguration.class);

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private static final Duration DEREGISTER_TIMEOUT = Duration.ofSeconds(5);

    @Bean
    LocalNode localNode(AgentProperties properties) {
        return LocalNode.from(properties, System.getenv(), Path.of(System.getProperty("user.home", ".")));
    }

    @Bean
    CoordinatorTrust coordinatorTrust(AgentProperties properties, Environment environment) {
        return CoordinatorTrust.from(environment, coordinatorUrl(properties));
    }

    @Bean
    RegistrationState registrationState() {
        return new RegistrationState();
    }

    /** The client for every coordinator call (registration, heartbeat, seed sync), with the right token on each. */
    @Bean
    RestClient coordinatorRestClient(AgentProperties properties, RegistrationState state, CoordinatorTrust trust) {
        if (properties.token() == null || properties.token().isBlank()) {
            logger.warn("No join token set (mesh.agent.token or CLAW_MESH_TOKEN): the coordinator will refuse to "
                    + "register this node unless it runs without tokens");
        }
        // HttpURLConnection: a few calls a minute need no client of their own, and the TLS stack loads only for https
        SimpleClientHttpRequestFactory requestFactory = trust.requestFactory();
        requestFactory.setConnectTimeout(CONNECT_TIMEOUT);
        requestFactory.setReadTimeout(READ_TIMEOUT);
        // a tolerant reader: a newer coordinator may answer with fields this agent does not know yet
        JsonMapper json = StrictJson.configure(JsonMapper.builder())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .changeDefaultPropertyInclusion(
                        (inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
                .build();
        return RestClient.builder()
                .baseUrl(coordinatorUrl(properties))
                .requestFactory(requestFactory)
                .requestInterceptor(new CoordinatorAuthInterceptor(properties.token(), state))
                .requestInterceptor(new CoordinatorFailover(coordinatorUrls(properties)))
                .configureMessageConverters(
                        (converters) -> converters.withJsonConverter(new JacksonJsonHttpMessageConverter(json)))
                .build();
    }

    @Bean
    CoordinatorApi coordinatorApi(RestClient coordinatorRestClient) {
        return HttpServiceProxyFactory.builderFor(RestClientAdapter.create(coordinatorRestClient))
                .build()
                .createClient(CoordinatorApi.class);
    }

    @Bean
    NodeRegistrar nodeRegistrar(
            AgentProperties properties,
            CoordinatorApi api,
            RegistrationState state,
            LocalNode localNode,
            CapabilityMonitor capabilities,
            AgentRuntime runtime,
            CapacityGate gate,
            ListenPort server,
            Environment environment) {
        if (properties.endpoint() != null && !properties.endpoint().isBlank()) {
            Endpoint.parse(properties.endpoint().strip()); // fail at start, not at the first registration
        }
        NodeReporter reporter = new NodeReporter(
                localNode.name(),
                () -> EndpointResolver.resolve(
                        properties.endpoint(), environment.getProperty("server.address"), server.port()),
                capabilities::current,
                runtime::info,
                gate);
        Backoff backoff = new Backoff(
                properties.registerBackoffInitial(), properties.registerBackoffMax(), RandomGenerator.getDefault());
        return new NodeRegistrar(
                api,
                new NodeIdentityStore(localNode.dataDir()),
                state,
                reporter,
                coordinatorUrl(properties),
                properties.heartbeatInterval(),
                backoff,
                connectPreference(environment));
    }

    @Bean
    HeartbeatTask heartbeatTask(NodeRegistrar service, AgentProperties properties) {
        return new HeartbeatTask(service, DEREGISTER_TIMEOUT, properties.heartbeatInterval());
    }

    /**
     * How the agent asks to be reached ({@code mesh.agent.connect}, {@code join --connect}): {@code auto} unless set.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static ConnectMode connectPreference(Environment environment) {
        String value =
                environment.getProperty("mesh.agent.connect", "auto").strip().toLowerCase(Locale.ROOT);
        try {
            ConnectMode mode = ConnectMode.fromWire(value);
            return mode;
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(
                    "mesh.agent.connect (--connect) '" + value
                            + "' is not a connect mode: use outbound, inbound or auto",
                    ex);
        }
    }

    /**
     * The first coordinator's base URL without a trailing slash: the one an outbound agent dials and its identity
     * names.
     */
    public static String coordinatorUrl(AgentProperties properties) {
        return coordinatorUrls(properties).getFirst();
    }

    /**
     * The coordinators' base URLs without trailing slashes, from the comma-separated {@code mesh.agent.coordinator-url}
     * (several replicas on one database, SPEC §19); at least one is required, and each must be http or https.
     */
    public static List<String> coordinatorUrls(AgentProperties properties) {
        String urls = properties.coordinatorUrl();
        if (urls == null || urls.isBlank()) {
            throw new IllegalStateException("mesh.agent.coordinator-url is required: the coordinator's base URL, for "
                    + "example --mesh.agent.coordinator-url=http://127.0.0.1:9180 (or several replicas' URLs, "
                    + "separated by commas)");
        }
        List<String> parsed = new ArrayList<>();
        for (String url : urls.split(",")) {
            if (!url.isBlank()) {
                parsed.add(oneCoordinatorUrl(url));
            }
        }
        if (parsed.isEmpty()) {
            throw new IllegalStateException("mesh.agent.coordinator-url '" + urls + "' names no URL");
        }
        return List.copyOf(parsed);
    }

    private static String oneCoordinatorUrl(String url) {
        String trimmed = url.strip().replaceAll("/+$", "");
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException ex) {
            throw new IllegalStateException("mesh.agent.coordinator-url '" + url + "' is not a URL", ex);
        }
        String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalStateException(
                    "mesh.agent.coordinator-url '" + url + "' must be an http(s) URL such as http://127.0.0.1:9180");
        }
        return trimmed;
    }
}
