package io.clawmesh.agent.registration;

import io.clawmesh.agent.Backoff;
import io.clawmesh.common.api.CoordinatorApi;
import io.clawmesh.common.node.Capabilities;
import io.clawmesh.common.node.ConnectMode;
import io.clawmesh.common.node.HeartbeatRequest;
import io.clawmesh.common.node.HeartbeatResponse;
import io.clawmesh.common.node.RegisterNodeRequest;
import io.clawmesh.common.node.RegisterNodeResponse;
import io.clawmesh.common.node.RuntimeInfo;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * The agent's side of the lease: registers (resuming a stored identity first), heartbeats, registers again when the
 * coordinator lost the node, and deregisters on shutdown. Each {@link #step()} does one call and answers how long to
 * wait before the next, so {@link HeartbeatTask} only schedules and tests need no clock or sleeps.
 */
public class NodeRegistrar {

    private static final Logger logger = LoggerFactory.getLogger(NodeRegistrar.class);

    private final CoordinatorApi api;

    private final NodeIdentityStore store;

    private final RegistrationState state;

    private final NodeReporter reporter;

    private final String coordinatorUrl;

    private final Duration heartbeatInterval;

    private final Backoff backoff;

    private final ConnectMode preference;

    private @Nullable String previousNodeId;

    private int registrationFailures;

    private boolean heartbeatFailing;

    private @Nullable Capabilities acceptedCapabilities;

    private @Nullable RuntimeInfo acceptedRuntime;

    private boolean stopped;

    /** A token came down the outbound connection: the next heartbeat goes over HTTP with it, which makes it current. */
    private boolean confirmOverHttp;

    private CertificateRenewal certificates = CertificateRenewal.NONE;

    public NodeRegistrar(
            CoordinatorApi api,
            NodeIdentityStore store,
            RegistrationState state,
            NodeReporter reporter,
            String coordinatorUrl,
            Duration heartbeatInterval,
            Backoff backoff) {
        this(api, store, state, reporter, coordinatorUrl, heartbeatInterval, backoff, ConnectMode.INBOUND);
    }

    /**
     * @param preference how the agent asks to be reached ({@code --connect}): an outbound node registers without an
     *     endpoint
     */
    public NodeRegistrar(
            CoordinatorApi api,
            NodeIdentityStore store,
            RegistrationState state,
            NodeReporter reporter,
            String coordinatorUrl,
            Duration heartbeatInterval,
            Backoff backoff,
            ConnectMode preference) {
        this.preference = preference;
        this.api = api;
        this.store = store;
        this.state = state;
        this.reporter = reporter;
        this.coordinatorUrl = coordinatorUrl;
        this.heartbeatInterval = heartbeatInterval;
        this.backoff = backoff;
        state.onNodeToken(this::rotate);
    }

    /** Lets heartbeats carry the renewal of the node's certificate of the mesh CA (ADR 0012). */
    public synchronized void renewCertificatesWith(CertificateRenewal renewal) {
        this.certificates = renewal;
    }

    /** Loads the stored identity; when it belongs to this coordinator the first step heartbeats with it. */
    public synchronized void start() {
        Optional<NodeIdentity> stored = this.store.load();
        if (stored.isEmpty()) {
            logger.info(
                    "No node identity in {}: registering with {} as a new node",
                    this.store.file(),
                    this.coordinatorUrl);
            return;
        }
        NodeIdentity identity = stored.get();
        if (!identity.coordinatorUrl().equals(this.coordinatorUrl)) {
            logger.info(
                    "Stored node {} belongs to coordinator {}, not {}: registering as a new node",
                    identity.nodeId(),
                    identity.coordinatorUrl(),
                    this.coordinatorUrl);
            return;
        }
        this.previousNodeId = identity.nodeId();
        this.state.use(identity);
        logger.info("Resuming as node {} with coordinator {}", identity.nodeId(), this.coordinatorUrl);
    }

    /** Registers or heartbeats, whichever is due, and answers the delay before the next step. */
    public synchronized Duration step() {
        if (this.stopped) {
            return this.heartbeatInterval;
        }
        Optional<NodeIdentity> identity = this.state.identity();
        return identity.isPresent() ? heartbeat(identity.get()) : register();
    }

    /**
     * Deregisters the node, best effort within {@code timeout}, and stops further steps. {@code node.json} is kept, so
     * the next start registers under the same id.
     */
    public void deregister(Duration timeout) {
        NodeIdentity identity;
        synchronized (this) {
            this.stopped = true;
            identity = this.state.identity().orElse(null);
        }
        if (identity == null) {
            return;
        }
        try {
            CompletableFuture.runAsync(() -> this.api.deregister(identity.nodeId()), Thread.ofVirtual()::start)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            logger.info(
                    "Deregistered node {} from {}; {} is kept so the next start reuses the id",
                    identity.nodeId(),
                    this.coordinatorUrl,
                    this.store.file());
        } catch (ExecutionException ex) {
            logger.warn(
                    "Could not deregister node {} ({}); the coordinator marks it offline when heartbeats stop",
                    identity.nodeId(),
                    reason(ex.getCause()));
        } catch (TimeoutException ex) {
            logger.warn("Deregistering node {} took longer than {}; giving up", identity.nodeId(), human(timeout));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private Duration register() {
        Capabilities capabilities = this.reporter.capabilities().get();
        RuntimeInfo runtime = this.reporter.runtime().get();
        RegisterNodeRequest request = new RegisterNodeRequest(
                this.reporter.name(),
                (this.preference == ConnectMode.OUTBOUND)
                        ? null
                        : this.reporter.endpoint().get(),
                capabilities,
                this.reporter.gate().capacity(),
                runtime,
                this.previousNodeId,
                (this.preference == ConnectMode.INBOUND) ? null : this.preference);
        RegisterNodeResponse response;
        try {
            response = this.api.register(request);
        } catch (RestClientResponseException ex) {
            return registrationRefused(ex);
        } catch (RestClientException ex) {
            Duration delay = this.backoff.delay(++this.registrationFailures);
            logger.warn(
                    "Cannot register with coordinator {}: unreachable ({}). Retrying in {}.",
                    this.coordinatorUrl,
                    reason(ex),
                    human(delay));
            return delay;
        }
        NodeIdentity identity = new NodeIdentity(response.nodeId(), response.token(), this.coordinatorUrl);
        // The coordinator counts the node online from its answer on: accept messages before the slower disk write.
        this.state.use(identity);
        this.state.connectedAs((response.connect() != null) ? response.connect() : ConnectMode.INBOUND);
        save(identity);
        this.acceptedCapabilities = capabilities;
        this.acceptedRuntime = runtime;
        this.registrationFailures = 0;
        this.heartbeatFailing = false;
        logger.info(
                "Registered with coordinator {} as node {} (name {}, {}){}",
                this.coordinatorUrl,
                identity.nodeId(),
                request.name(),
                (response.connect() == ConnectMode.OUTBOUND)
                        ? "outbound: this agent dials the coordinator"
                        : "endpoint " + request.endpoint(),
                identity.nodeId().equals(this.previousNodeId) ? ", keeping its earlier id" : "");
        this.previousNodeId = identity.nodeId();
        return this.heartbeatInterval;
    }

    private Duration registrationRefused(RestClientResponseException ex) {
        int status = ex.getStatusCode().value();
        this.registrationFailures++;
        Duration delay = this.backoff.delay(this.registrationFailures);
        String reason;
        switch (status) {
            case 401 ->
                reason = "the coordinator refused the join token (401). Set mesh.agent.token (or CLAW_MESH_TOKEN) to "
                        + "the coordinator's join token";
            case 403 ->
                reason = "the token may not register nodes (403). Use the coordinator's join token or operator token";
            case 409 -> {
                reason = "the name '" + this.reporter.name() + "' is taken by another live node (409). Give this node "
                        + "another name with mesh.agent.name, or stop the other agent";
                delay = this.backoff.max();
            }
            case 400 -> {
                reason = "the coordinator rejected the registration (400: " + detail(ex) + "). Fix the agent "
                        + "settings (mesh.agent.name, tags, endpoint) and restart";
                delay = this.backoff.max();
            }
            default -> reason = "the coordinator answered " + status + " (" + detail(ex) + ")";
        }
        logger.warn("Registration with {} failed: {}. Retrying in {}.", this.coordinatorUrl, reason, human(delay));
        return delay;
    }

    private Duration heartbeat(NodeIdentity identity) {
        Capabilities capabilities = this.reporter.capabilities().get();
        RuntimeInfo runtime = this.reporter.runtime().get();
        String csr = this.certificates.csrIfDue(identity.nodeId());
        HeartbeatRequest request = new HeartbeatRequest(
                        this.reporter.status(runtime),
                        this.reporter.gate().inflight(),
                        this.reporter.gate().capacity(),
                        Objects.equals(capabilities, this.acceptedCapabilities) ? null : capabilities,
                        Objects.equals(runtime, this.acceptedRuntime) ? null : runtime)
                .withCsr(csr);
        try {
            // a CSR goes over HTTP: its answer, the certificate, comes back in the reply
            if (csr != null
                    || this.confirmOverHttp
                    || !this.state
                            .heartbeatLink()
                            .map((link) -> link.test(request))
                            .orElse(false)) {
                ResponseEntity<HeartbeatResponse> reply = this.api.heartbeat(identity.nodeId(), request);
                this.confirmOverHttp = false;
                HeartbeatResponse body = reply.getBody();
                if (body != null && body.nodeToken() != null) {
                    rotateLocked(body.nodeToken(), "heartbeat reply");
                }
                if (csr != null && body != null && body.certificate() != null) {
                    this.certificates.renewed(identity.nodeId(), body.certificate());
                } else if (csr != null) {
                    this.certificates.notRenewed(identity.nodeId(), "the heartbeat reply carried no certificate");
                }
            }
        } catch (RestClientResponseException ex) {
            int status = ex.getStatusCode().value();
            if (csr != null && status == 400) {
                this.certificates.notRenewed(identity.nodeId(), "the coordinator refused the CSR (" + detail(ex) + ")");
            }
            if (status == 404 || status == 401) {
                return lost(identity, status);
            }
            return heartbeatFailed(identity, "the coordinator answered " + status + " (" + detail(ex) + ")");
        } catch (RestClientException ex) {
            return heartbeatFailed(identity, "unreachable (" + reason(ex) + ")");
        }
        this.acceptedCapabilities = capabilities;
        this.acceptedRuntime = runtime;
        if (this.heartbeatFailing) {
            this.heartbeatFailing = false;
            logger.info(
                    "Coordinator {} is reachable again: heartbeats for node {} accepted",
                    this.coordinatorUrl,
                    identity.nodeId());
        }
        return this.heartbeatInterval;
    }

    /**
     * Takes a new node token (ADR 0014): stored first, used after, so a crash in between loses nothing (the coordinator
     * keeps the old token valid until the new one is used). When it cannot be stored, the agent keeps the old token
     * and the coordinator hands over another one at a later heartbeat.
     */
    public synchronized void rotate(String token) {
        rotateLocked(token, "outbound connection");
        // the coordinator switches when it sees the new token; the outbound connection still runs on the old one
        this.confirmOverHttp = true;
    }

    private void rotateLocked(String token, String via) {
        Optional<NodeIdentity> identity = this.state.identity();
        if (identity.isEmpty() || token.isBlank() || token.equals(identity.get().token())) {
            return;
        }
        NodeIdentity rotated = identity.get().rotatedTo(token);
        try {
            this.store.save(rotated);
        } catch (UncheckedIOException ex) {
            logger.error(
                    "Node {}: the coordinator rotated the node token but {} cannot be written ({}); keeping the"
                            + " current token, the coordinator offers a new one at a later heartbeat",
                    rotated.nodeId(),
                    this.store.file(),
                    ex.getMessage());
            return;
        }
        this.state.use(rotated);
        logger.info(
                "Node {}: node token rotated (from the {}), stored in {}", rotated.nodeId(), via, this.store.file());
    }

    private Duration lost(NodeIdentity identity, int status) {
        logger.warn(
                "Coordinator {} {} node {} ({}): registering again with the same id",
                this.coordinatorUrl,
                (status == 404) ? "no longer knows" : "rejected the token of",
                identity.nodeId(),
                status);
        this.state.clear();
        this.previousNodeId = identity.nodeId();
        this.acceptedCapabilities = null;
        this.acceptedRuntime = null;
        this.heartbeatFailing = false;
        this.registrationFailures = 0;
        return Duration.ZERO;
    }

    private Duration heartbeatFailed(NodeIdentity identity, String reason) {
        if (!this.heartbeatFailing) {
            this.heartbeatFailing = true;
            logger.warn(
                    "Heartbeat for node {} to {} failed: {}. Keeping the node id and token and retrying every {}; "
                            + "logged again when it recovers.",
                    identity.nodeId(),
                    this.coordinatorUrl,
                    reason,
                    human(this.heartbeatInterval));
        } else {
            logger.debug("Heartbeat for node {} failed again: {}", identity.nodeId(), reason);
        }
        return this.heartbeatInterval;
    }

    private void save(NodeIdentity identity) {
        try {
            this.store.save(identity);
        } catch (UncheckedIOException ex) {
            logger.error(
                    "Registered as node {} but could not store it ({}); the next start registers anew",
                    identity.nodeId(),
                    ex.getMessage());
        }
    }

    private static String detail(RestClientResponseException ex) {
        try {
            ProblemDetail problem = ex.getResponseBodyAs(ProblemDetail.class);
            if (problem != null && problem.getDetail() != null) {
                return problem.getDetail();
            }
        } catch (RuntimeException ignored) {
            // not a problem body: fall back to the status text
        }
        String text = ex.getStatusText();
        return text.isBlank() ? "no detail" : text;
    }

    /** A short, readable cause of a failed call: refused, timed out, unknown host, or the most specific message. */
    static String reason(@Nullable Throwable ex) {
        if (ex == null) {
            return "unknown error";
        }
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException timeout) {
                String message = String.valueOf(timeout.getMessage()).toLowerCase(Locale.ROOT);
                return message.contains("connect") ? "connect timed out" : "no answer in time";
            }
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
            if (cause instanceof UnknownHostException) {
                return "unknown host " + cause.getMessage();
            }
        }
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
        String message = cause.getMessage();
        String type = cause.getClass().getSimpleName();
        return (message == null || message.isBlank()) ? type : type + ": " + message;
    }

    static String human(Duration duration) {
        long millis = duration.toMillis();
        return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
    }
}
