package io.clawmesh.coordinator.tasks;

import io.clawmesh.common.task.TaskEventTypes;
import io.clawmesh.common.tls.LazyTls;
import io.clawmesh.coordinator.outbound.relay.RelaySecret;
import io.clawmesh.coordinator.replicas.ReplicaIdentity;
import io.clawmesh.coordinator.replicas.ReplicaRegistry;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A task's live reply text is in the memory of the replica that follows it ({@link TaskEventHub}). A client that
 * follows the task's events on another replica gets that replica's stream relayed: the follower writes it exactly as
 * for its own clients (same event ids, so {@code Last-Event-ID} resumes anywhere), over the replicas' relay endpoint
 * {@value #PATH}{@code /{id}/events}, authenticated with the replicas' secret (ADR 0013).
 */
@Component
public class TaskStreamRelay {

    /** Under the relay's own security chain: only the replicas' secret opens it. */
    public static final String PATH = "/internal/v1/relay/tasks";

    private static final Logger logger = LoggerFactory.getLogger(TaskStreamRelay.class);

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final JdbcClient jdbc;

    private final ReplicaIdentity identity;

    private final ReplicaRegistry replicas;

    private final RelaySecret secret;

    // a replica's relay address may be https: the JDK's default TLS, built at the first such connection
    private final HttpClient http = LazyTls.configureDefault(
                    HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER))
            .build();

    public TaskStreamRelay(JdbcClient jdbc, ReplicaIdentity identity, ReplicaRegistry replicas, RelaySecret secret) {
        this.jdbc = jdbc;
        this.identity = identity;
        this.replicas = replicas;
        this.secret = secret;
    }

    /** The relay URL of another live replica that follows this unfinished task, if one does. */
    Optional<String> follower(String taskId) {
        try {
            return this.jdbc
                    .sql("SELECT r.url FROM tasks t"
                            + " JOIN replica_relays r ON r.replica = t.replica"
                            + " JOIN coordinator_replicas c ON c.id = t.replica"
                            + " WHERE t.id = ? AND t.replica <> ? AND c.last_seen >= ?"
                            + " AND t.status IN ('queued', 'assigned', 'running')")
                    .params(
                            taskId,
                            this.identity.id(),
                            this.replicas.aliveSince().atOffset(ZoneOffset.UTC))
                    .query(String.class)
                    .optional();
        } catch (DataAccessException ex) {
            logger.debug("Task {}: cannot look up the replica that follows it: {}", taskId, ex.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Relays the follower's event stream of a task to this client.
     *
     * @return {@code false} when the follower did not answer with a stream; nothing was written then, and the caller
     *     writes this replica's own view of the task
     */
    boolean relay(String url, String taskId, @Nullable String lastEventId, HttpServletResponse response)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + PATH + "/" + taskId + "/events"))
                .header("Authorization", this.secret.authorization())
                .header("Accept", TaskEventTypes.EVENT_STREAM)
                .GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> upstream;
        try {
            upstream = this.http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException ex) {
            logger.debug(
                    "Task {}: the replica that follows it cannot be reached at {}: {}", taskId, url, ex.toString());
            return false;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
        try (InputStream in = upstream.body()) {
            if (upstream.statusCode() != 200) {
                logger.debug("Task {}: the replica that follows it answered {}", taskId, upstream.statusCode());
                return false;
            }
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType("text/event-stream;charset=UTF-8");
            response.setHeader("Cache-Control", "no-cache, no-store");
            response.setHeader("X-Accel-Buffering", "no");
            OutputStream out = response.getOutputStream();
            byte[] buffer = new byte[8192];
            for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException ex) {
            // the client or the follower went away: the client resumes with Last-Event-ID
            logger.trace("Task {}: relayed event stream ended: {}", taskId, ex.getMessage());
        }
        return true;
    }
}
