package io.clawmesh.cli.client;

import io.clawmesh.cli.settings.ConnectionSettings;
import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.audit.AuditPage;
import io.clawmesh.common.audit.RotatedToken;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/** The coordinator's audit trail and operator token rotation as the CLI calls them. */
public class AuditClient {

    private final MeshClient client;

    private final RestClient rest;

    AuditClient(MeshClient client) {
        this.client = client;
        this.rest = client.restClient();
    }

    public ConnectionSettings settings() {
        return this.client.settings();
    }

    /** {@code GET /api/v1/audit?action=&actor=&since=&limit=&cursor=}: one page, newest first. */
    public AuditPage list(
            @Nullable String action,
            @Nullable String actor,
            @Nullable String since,
            @Nullable Integer limit,
            @Nullable String cursor) {
        Map<String, Object> values = new HashMap<>();
        return call(() -> this.rest
                .get()
                .uri((builder) -> {
                    builder.path(ApiPaths.AUDIT);
                    TaskClient.param(builder, values, "action", action);
                    TaskClient.param(builder, values, "actor", actor);
                    TaskClient.param(builder, values, "since", since);
                    TaskClient.param(builder, values, "limit", limit);
                    TaskClient.param(builder, values, "cursor", cursor);
                    return builder.build(values);
                })
                .retrieve()
                .body(AuditPage.class));
    }

    /** {@code POST /api/v1/token/rotate}: the new operator token, answered once. */
    public RotatedToken rotateToken() {
        return call(() -> this.rest.post().uri(ApiPaths.TOKEN_ROTATE).retrieve().body(RotatedToken.class));
    }

    private <T> T call(Supplier<@Nullable T> call) {
        T answer;
        try {
            answer = call.get();
        } catch (ResourceAccessException ex) {
            throw MeshErrors.unreachable(settings(), ex);
        } catch (RestClientResponseException ex) {
            throw MeshErrors.refused(settings(), ex);
        }
        if (answer == null) {
            throw new IllegalStateException("the coordinator answered without a body");
        }
        return answer;
    }
}
