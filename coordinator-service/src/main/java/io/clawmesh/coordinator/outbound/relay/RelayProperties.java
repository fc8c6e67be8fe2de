package io.clawmesh.coordinator.outbound.relay;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the other replicas reach this one's relay endpoint ({@code mesh.replicas.relay.*}).
 *
 * @param url the base URL the other replicas call, such as {@code http://10.0.0.5:8080} (the pod's address); empty to
 *     use this host's address and the port the coordinator listens on
 * @param connectTimeout how long a replica waits to connect to another one's relay before the request fails over
 */
@ConfigurationProperties("mesh.replicas.relay")
public record RelayProperties(
        @Nullable String url, @DefaultValue("2s") Duration connectTimeout) {

    public RelayProperties {
        if (url != null && !url.isBlank() && !url.strip().matches("https?://[^/?#\\s]+/?")) {
            throw new IllegalArgumentException(
                    "mesh.replicas.relay.url must be http(s)://host[:port] without a path, got '" + url + "'");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("mesh.replicas.relay.connect-timeout must be positive");
        }
    }
}
