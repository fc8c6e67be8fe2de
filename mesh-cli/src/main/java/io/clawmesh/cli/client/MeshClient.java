package io.clawmesh.cli.client;

import io.clawmesh.cli.settings.ConnectionSettings;
import io.clawmesh.common.api.CoordinatorApi;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/**
 * The coordinator as the CLI talks to it: the shared {@link CoordinatorApi} interface over a {@link RestClient} with
 * explicit timeouts and the operator token, and every failure turned into one line and an exit code
 * ({@link MeshErrors}).
 */
public class MeshClient {

    /** How long to wait for a TCP connection to the coordinator. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final ConnectionSettings settings;

    private final RestClient restClient;

    private final CoordinatorApi api;

    MeshClient(ConnectionSettings settings, RestClient.Builder builder, Duration readTimeout) {
        this.settings = settings;
        HttpClient httpClient = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
        requestFactory.setReadTimeout(readTimeout);
        RestClient.Builder configured =
                builder.clone().baseUrl(settings.coordinator().toString()).requestFactory(requestFactory);
        if (settings.token() != null) {
            configured.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + settings.token());
        }
        this.restClient = configured.build();
        this.api = HttpServiceProxyFactory.builderFor(RestClientAdapter.create(this.restClient))
                .build()
                .createClient(CoordinatorApi.class);
    }

    public ConnectionSettings settings() {
        return this.settings;
    }

    /**
     * Calls the coordinator.
     *
     * @throws CliException with the exit code of SPEC §11 and one readable line when the call fails
     */
    public <T> T call(Function<CoordinatorApi, T> call) {
        try {
            return call.apply(this.api);
        } catch (ResourceAccessException ex) {
            throw MeshErrors.unreachable(this.settings, ex);
        } catch (RestClientResponseException ex) {
            throw MeshErrors.refused(this.settings, ex);
        }
    }

    /** Like {@link #call} for calls without an answer. */
    public void run(java.util.function.Consumer<CoordinatorApi> call) {
        call((api) -> {
            call.accept(api);
            return null;
        });
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
