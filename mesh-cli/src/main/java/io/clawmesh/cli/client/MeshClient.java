package io.clawmesh.cli.client;

import io.clawmesh.cli.settings.ConnectionSettings;
import io.clawmesh.cli.support.UsageException;
import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.api.CoordinatorApi;
import io.clawmesh.common.task.TaskEventTypes;
import io.clawmesh.common.tls.LazyTls;
import io.clawmesh.common.tls.MeshTrust;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The coordinator as the CLI talks to it: the shared {@link CoordinatorApi} interface (as {@link MeshApi}) over a
 * {@link RestClient} with explicit timeouts and the operator token, and every failure turned into one line and an exit
 * code ({@link MeshErrors}).
 */
public class MeshClient {

    /** How long to wait for a TCP connection to the coordinator. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ConnectionSettings settings;

    private final RestClient restClient;

    private final MeshApi api;

    private @Nullable HttpClient httpClient;

    MeshClient(ConnectionSettings settings, RestClient.Builder builder, Duration readTimeout) {
        this.settings = settings;
        RestClient.Builder configured = builder.clone()
                .baseUrl(settings.coordinator().toString())
                .requestFactory(requestFactory(readTimeout))
                // what the JDK's HttpClient sends when nothing is asked for; HttpURLConnection would ask for text/html
                .defaultHeader(HttpHeaders.ACCEPT, "*/*");
        if (settings.token() != null) {
            configured.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + settings.token());
        }
        this.restClient = configured.build();
        this.api = HttpServiceProxyFactory.builderFor(RestClientAdapter.create(this.restClient))
                .build()
                .createClient(MeshApi.class);
    }

    /**
     * How ordinary calls are sent. To an https coordinator: the JDK's {@link HttpClient} with the pinned or file trust.
     * To an http one: a plain {@link java.net.HttpURLConnection}, because building an {@code HttpClient} builds the
     * JDK's default {@code SSLContext} (its TLS provider and every CA certificate) and the client's selector thread,
     * about 300 ms of CPU on every verb for a connection that never speaks TLS (ADR 0016). Both follow no redirect and
     * use the JDK's default proxy selector, as before.
     */
    private ClientHttpRequestFactory requestFactory(Duration readTimeout) {
        if (!isHttps()) {
            SimpleClientHttpRequestFactory plain = new SimpleClientHttpRequestFactory() {
                @Override
                protected void prepareConnection(HttpURLConnection connection, String httpMethod) throws IOException {
                    super.prepareConnection(connection, httpMethod);
                    connection.setInstanceFollowRedirects(false);
                }
            };
            plain.setConnectTimeout(CONNECT_TIMEOUT);
            plain.setReadTimeout(readTimeout);
            return plain;
        }
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient());
        requestFactory.setReadTimeout(readTimeout);
        return requestFactory;
    }

    private boolean isHttps() {
        return this.settings.coordinator().getScheme().equals("https");
    }

    /** The JDK client, built on first use: for https calls and for event streams. */
    private synchronized HttpClient httpClient() {
        if (this.httpClient == null) {
            HttpClient.Builder clientBuilder =
                    HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).version(HttpClient.Version.HTTP_1_1);
            SSLContext tls = tls(this.settings);
            // without a pinned CA: the JDK's default TLS, built only if a call is https (an event stream over http
            // needs none)
            this.httpClient =
                    ((tls != null) ? clientBuilder.sslContext(tls) : LazyTls.configureDefault(clientBuilder)).build();
        }
        return this.httpClient;
    }

    /** The pinned or file trust for an https coordinator, or {@code null} for the JDK's trust store. */
    private static @Nullable SSLContext tls(ConnectionSettings settings) {
        if (!settings.coordinator().getScheme().equals("https")) {
            return null;
        }
        try {
            return MeshTrust.clientContext(settings.caFingerprint(), settings.caFile());
        } catch (IllegalArgumentException ex) {
            throw new UsageException(null, "--ca-fingerprint / tls.ca_file: " + ex.getMessage());
        }
    }

    public ConnectionSettings settings() {
        return this.settings;
    }

    /**
     * Calls the coordinator.
     *
     * @throws CliException with the exit code of SPEC §11 and one readable line when the call fails
     */
    public <T> T call(Function<MeshApi, T> call) {
        try {
            return call.apply(this.api);
        } catch (ResourceAccessException ex) {
            throw MeshErrors.unreachable(this.settings, ex);
        } catch (RestClientResponseException ex) {
            throw MeshErrors.refused(this.settings, ex);
        }
    }

    /** Like {@link #call} for calls without an answer. */
    public void run(java.util.function.Consumer<MeshApi> call) {
        call((api) -> {
            call.accept(api);
            return null;
        });
    }

    /**
     * Opens a server-sent event stream: {@code method} on {@code path} (already encoded), with a JSON body or none, and
     * {@code Last-Event-ID} when resuming.
     *
     * @throws CliException unreachable (exit 3), or the problem of an error answer
     */
    public EventStream stream(String method, String path, @Nullable Object body, @Nullable String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.settings.coordinator() + path))
                .header(HttpHeaders.ACCEPT, TaskEventTypes.EVENT_STREAM + ", " + ApiPaths.PROBLEM_JSON);
        if (body != null) {
            request.header(HttpHeaders.CONTENT_TYPE, "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        if (this.settings.token() != null) {
            request.header(HttpHeaders.AUTHORIZATION, "Bearer " + this.settings.token());
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return EventStream.open(this.settings, httpClient(), request.build());
    }

    RestClient restClient() {
        return this.restClient;
    }

    /** {@code GET /actuator/info} (open, no token needed), or {@code null} when the coordinator has none. */
    @SuppressWarnings("unchecked")
    public @Nullable Map<String, Object> info() {
        try {
            return this.restClient.get().uri("/actuator/info").retrieve().body(Map.class);
        } catch (ResourceAccessException ex) {
            throw MeshErrors.unreachable(this.settings, ex);
        } catch (RestClientResponseException ex) {
            return null;
        }
    }
}
