package io.clawmesh.cli.client;

import io.clawmesh.cli.settings.ConnectionSettings;
import io.clawmesh.cli.support.CliException;
import io.clawmesh.cli.support.ExitCode;
import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.task.TaskAccepted;
import io.clawmesh.common.task.TaskPage;
import io.clawmesh.common.task.TaskRequest;
import io.clawmesh.common.task.TaskView;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.util.UriUtils;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The coordinator's task API (SPEC §16, ADR 0008) as the CLI calls it: submit, list, show, cancel and the event stream
 * of one task. Failures become one line and an exit code; a task that does not exist and a cancel of a finished task
 * say so in words.
 */
public class TaskClient {

    private static final JsonMapper LENIENT = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final MeshClient client;

    private final RestClient rest;

    TaskClient(MeshClient client) {
        this.client = client;
        this.rest = client.restClient();
    }

    public ConnectionSettings settings() {
        return this.client.settings();
    }

    /**
     * {@code POST /api/v1/tasks}: a new task (202), or the existing one an {@code Idempotency-Key} named (200).
     *
     * @param idempotencyKey sent as the {@code Idempotency-Key} header when not null
     */
    public TaskAccepted submit(TaskRequest request, @Nullable String idempotencyKey) {
        return call(null, () -> {
            RestClient.RequestBodySpec spec = this.rest.post().uri(ApiPaths.TASKS);
            if (idempotencyKey != null) {
                spec.header(ApiPaths.IDEMPOTENCY_KEY_HEADER, idempotencyKey);
            }
            return spec.body(request).retrieve().body(TaskAccepted.class);
        });
    }

    /** {@code GET /api/v1/tasks/{id}}. */
    public TaskView get(String id) {
        return call(id, () -> this.rest.get().uri(ApiPaths.TASK, id).retrieve().body(TaskView.class));
    }

    /** {@code GET /api/v1/tasks?status=&node=&limit=&cursor=}: one page, newest first. */
    public TaskPage list(TaskQuery query) {
        Map<String, Object> values = new HashMap<>();
        return call(
                null,
                () -> this.rest
                        .get()
                        .uri((builder) -> {
                            builder.path(ApiPaths.TASKS);
                            param(builder, values, "status", query.status());
                            param(builder, values, "node", query.node());
                            param(builder, values, "limit", query.limit());
                            param(builder, values, "cursor", query.cursor());
                            return builder.build(values);
                        })
                        .retrieve()
                        .body(TaskPage.class));
    }

    /**
     * {@code DELETE /api/v1/tasks/{id}}: cancels a queued task at once, asks the node to abort a running one.
     *
     * @return the task as the answer shows it, or {@code null} when the answer has no task body
     */
    public @Nullable TaskView cancel(String id) {
        ResponseEntity<String> answer = call(
                id, () -> this.rest.delete().uri(ApiPaths.TASK, id).retrieve().toEntity(String.class));
        String body = answer.getBody();
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return LENIENT.readValue(body, TaskView.class);
        } catch (RuntimeException ex) {
            return null;
        }
    }

    /** Opens {@code GET /api/v1/tasks/{id}/events}, resuming after {@code lastEventId} when it is not null. */
    public EventStream events(String id, @Nullable String lastEventId) {
        try {
            return this.client.stream("GET", eventsPath(id), null, lastEventId);
        } catch (CliException ex) {
            throw ex.exitCode() == ExitCode.REFUSED && ex.getMessage().endsWith("(404)") ? notFound(id, ex) : ex;
        }
    }

    static String eventsPath(String id) {
        return ApiPaths.TASKS + "/" + UriUtils.encodePathSegment(id, java.nio.charset.StandardCharsets.UTF_8)
                + "/events";
    }

    private <T> T call(@Nullable String id, Supplier<T> call) {
        try {
            return call.get();
        } catch (ResourceAccessException ex) {
            throw MeshErrors.unreachable(settings(), ex);
        } catch (RestClientResponseException ex) {
            CliException refused = MeshErrors.refused(settings(), ex);
            if (refused.exitCode() != ExitCode.REFUSED) {
                return throwIt(refused);
            }
            int status = ex.getStatusCode().value();
            if (status == 404 && id != null) {
                throw notFound(id, refused);
            }
            if (status == 409 && id != null) {
                throw new CliException(
                        ExitCode.REFUSED,
                        "task " + id + " has already finished, nothing to cancel: " + refused.getMessage());
            }
            if (status == 409) {
                throw new CliException(
                        ExitCode.REFUSED,
                        "the idempotency key names another task with a different request: " + refused.getMessage());
            }
            if (status == 429) {
                String retry = ex.getResponseHeaders() != null
                        ? ex.getResponseHeaders().getFirst("Retry-After")
                        : null;
                throw new CliException(
                        ExitCode.REFUSED,
                        "the task queue is full: " + refused.getMessage()
                                + ((retry != null)
                                        ? "; try again in " + io.clawmesh.cli.output.Untrusted.cell(retry) + "s"
                                        : ""));
            }
            throw refused;
        }
    }

    private static <T> T throwIt(CliException ex) {
        throw ex;
    }

    private static CliException notFound(String id, CliException refused) {
        return new CliException(
                ExitCode.REFUSED, "no task '" + id + "' (claw-mesh task list shows them): " + refused.getMessage());
    }

    /** Adds {@code name} as a templated query parameter when {@code value} is set (the value is encoded once). */
    static void param(
            org.springframework.web.util.UriBuilder builder,
            Map<String, Object> values,
            String name,
            @Nullable Object value) {
        if (value != null) {
            builder.queryParam(name, "{" + name + "}");
            values.put(name, value);
        }
    }

    /** The filters and page of {@code task list}; any may be absent. */
    public record TaskQuery(
            @Nullable String status,
            @Nullable String node,
            @Nullable Integer limit,
            @Nullable String cursor) {

        public TaskQuery withCursor(@Nullable String next) {
            return new TaskQuery(this.status, this.node, this.limit, next);
        }
    }
}
