package io.clawmesh.coordinator.health;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.message.AgentHealthResponse;
import io.clawmesh.common.node.Endpoint;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.PrintableText;
import io.clawmesh.common.tls.LazyTls;
import io.clawmesh.coordinator.events.NodeProbeFailed;
import io.clawmesh.coordinator.registry.EndpointPolicy;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.NodeRegistry;
import io.clawmesh.coordinator.routing.FailoverCooldowns;
import io.clawmesh.coordinator.tls.AgentClientTls;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Probes each node's {@code GET /healthz}: consecutive failures past the threshold mark a node offline, a good probe
 * brings it back (and ends its failover cooldown), and the runtime state it reports makes it degraded or online.
 * Offline nodes are probed with growing intervals, so thousands of dead registrations cost little. Nodes loaded from
 * the database at start-up are probed at once and retried quickly, so one that died while the coordinator was down is
 * offline within seconds of a restart rather than after the heartbeat timeout. Failed probes never override a heartbeat
 * that arrived after the first of them, at this replica or another one (ADR 0013): a replica cut off from the agents
 * but not from the database must not mark live nodes offline.
 */
@Component
public class NodeProber implements DisposableBean {

    private static final Logger logger = LoggerFactory.getLogger(NodeProber.class);

    private final NodeRegistry registry;

    private final EndpointPolicy endpointPolicy;

    private final FailoverCooldowns cooldowns;

    private final HealthProperties properties;

    private final JsonMapper json;

    private final Clock clock;

    private final HttpClient httpClient;

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private final Map<String, ProbeState> states = new ConcurrentHashMap<>();

    private static final int MAX_HEALTH_BYTES = 64 * 1024;

    private final ApplicationEventPublisher events;

    /** Nodes last heard of before this instant were loaded from the database, not registered with this run. */
    private final Instant startedAt;

    public NodeProber(
            NodeRegistry registry,
            EndpointPolicy endpointPolicy,
            FailoverCooldowns cooldowns,
            HealthProperties properties,
            JsonMapper json,
            Clock clock,
            ApplicationEventPublisher events) {
        this.registry = registry;
        this.events = events;
        this.endpointPolicy = endpointPolicy;
        this.cooldowns = cooldowns;
        this.properties = properties;
        this.json = json.rebuild()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        this.clock = clock;
        this.startedAt = clock.instant();
        this.httpClient = LazyTls.configure(
                        HttpClient.newBuilder()
                                .version(HttpClient.Version.HTTP_1_1)
                                .connectTimeout(properties.probeTimeout())
                                .followRedirects(HttpClient.Redirect.NEVER)
                                .executor(this.executor),
                        // mutual TLS: the prober's own connections count in mesh_tls_handshakes_total{client="prober"}
                        (this.endpointPolicy.agentTls() != null)
                                ? AgentClientTls.countingProbes(this.endpointPolicy.agentTls())
                                : this.endpointPolicy.clientContext())
                .build();
    }

    /**
     * Probes every node whose next probe is due, a bounded number at a time, and waits for them; run on the scheduler
     * leader every {@code mesh.health.probe-tick}.
     */
    public void probeDue() {
        Instant now = this.clock.instant();
        Semaphore permits = new Semaphore(this.properties.probeConcurrency());
        List<Future<?>> running = new ArrayList<>();
        for (Node node : this.registry.all()) {
            if (node.outbound()) {
                // never dialled (ADR 0010): its connection and heartbeats tell its health
                continue;
            }
            ProbeState state = this.states.computeIfAbsent(node.id(), (id) -> firstState(node, now));
            if (state.nextProbeAt().isAfter(now)) {
                continue;
            }
            permits.acquireUninterruptibly();
            running.add(this.executor.submit(() -> {
                try {
                    probe(node);
                } finally {
                    permits.release();
                }
            }));
        }
        for (Future<?> future : running) {
            try {
                future.get();
            } catch (Exception ex) {
                logger.debug("Probe task failed", ex);
            }
        }
        this.states.keySet().removeIf((id) -> this.registry.find(id).isEmpty());
    }

    private ProbeState firstState(Node node, Instant now) {
        if (node.status() != NodeStatus.OFFLINE && lastHeardOf(node).isBefore(this.startedAt)) {
            // Loaded, not registered with this run: nobody has heard from it since before the restart.
            return ProbeState.loaded(now);
        }
        return ProbeState.first(now, this.properties.probeInterval());
    }

    private static Instant lastHeardOf(Node node) {
        Instant heartbeat = node.lastHeartbeat();
        return (heartbeat != null && heartbeat.isAfter(node.registeredAt())) ? heartbeat : node.registeredAt();
    }

    void probe(Node node) {
        String failure;
        try {
            URI uri = healthUri(node);
            if (node.status() == NodeStatus.OFFLINE && !accepts(uri)) {
                // Most offline nodes are gone for good: a refused connect costs a fraction of an HTTP request, which
                // matters with thousands of dead registrations.
                failed(node, "cannot connect to " + uri.getHost() + ":" + uri.getPort());
                return;
            }
            HttpResponse<InputStream> response = this.httpClient.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(this.properties.probeTimeout())
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.sslSession().isPresent()) {
                // mutual TLS (ADR 0012): the answer counts only from the agent whose certificate names this node
                try {
                    AgentClientTls.checkNode(response.sslSession().get(), node.id());
                } catch (javax.net.ssl.SSLPeerUnverifiedException ex) {
                    response.body().close();
                    failed(node, ex.getMessage());
                    return;
                }
            }
            try (InputStream body = response.body()) {
                // A health answer is small; a node must not be able to make the coordinator read more.
                byte[] bytes = body.readNBytes(MAX_HEALTH_BYTES + 1);
                if (response.statusCode() == 200 && bytes.length <= MAX_HEALTH_BYTES) {
                    succeeded(node, this.json.readValue(bytes, AgentHealthResponse.class));
                    return;
                }
            }
            failure = "healthz answered " + response.statusCode();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception ex) {
            // a parse error may quote the node's bytes, and failures are logged
            failure = (ex.getMessage() != null)
                    ? PrintableText.escape(ex.getMessage())
                    : ex.getClass().getSimpleName();
        }
        failed(node, failure);
    }

    private void succeeded(Node node, AgentHealthResponse health) {
        Instant now = this.clock.instant();
        this.states.put(node.id(), new ProbeState(0, now.plus(this.properties.probeInterval())));
        this.cooldowns.clear(node.id());
        this.registry.confirmAlive(
                node.id(),
                health.runtime(),
                now.minus(this.properties.heartbeatTimeout().dividedBy(2)),
                "probe succeeded");
    }

    private void failed(Node node, String failure) {
        Instant now = this.clock.instant();
        ProbeState previous = this.states.getOrDefault(node.id(), new ProbeState(0, now));
        int failures = previous.consecutiveFailures() + 1;
        int threshold = this.properties.probeFailureThreshold();
        Duration wait = previous.loaded() ? this.properties.restartProbeInterval() : this.properties.probeInterval();
        if (node.status() == NodeStatus.OFFLINE) {
            // A dead node comes back by heartbeat anyway; probing it is the slow path for agents that cannot reach
            // us. Back off from the offline interval, doubling, capped, so thousands of dead nodes cost little.
            int doublings = Math.min(Math.max(0, failures - threshold - 1), 16);
            wait = this.properties.offlineProbeInterval().multipliedBy(1L << doublings);
            if (wait.compareTo(this.properties.maxProbeBackoff()) > 0) {
                wait = this.properties.maxProbeBackoff();
            }
            // Up to half an interval of jitter: nodes that went offline together (a network split, a bulk
            // registration) are not probed again in one burst.
            wait = wait.plusMillis(ThreadLocalRandom.current().nextLong(Math.max(1, wait.toMillis() / 2)));
        }
        Instant failingSince = (previous.failingSince() != null) ? previous.failingSince() : now;
        this.states.put(node.id(), new ProbeState(failures, now.plus(wait), previous.loaded(), failingSince));
        this.events.publishEvent(new NodeProbeFailed(node.ref(), failures, failure, now));
        if (failures >= threshold && node.status() != NodeStatus.OFFLINE) {
            markOffline(node, failures, failure, failingSince);
        } else if (node.status() != NodeStatus.OFFLINE) {
            logger.debug(
                    "Probe of {} ({}) failed ({} of {}): {}", node.name(), node.id(), failures, threshold, failure);
        }
    }

    /**
     * Marks the node offline after its failed probes unless it heartbeated since the first of them. The heartbeat may
     * have reached another replica (ADR 0013): then the probes failing say this replica cannot reach the node, not that
     * the node is down, and a probe failure never overrides that heartbeat. The check is in the database's update, so
     * a heartbeat written by another replica a moment ago counts even when this replica's cache has not seen it.
     */
    private void markOffline(Node node, int failures, String failure, Instant failingSince) {
        Optional<Node> after = this.registry.transition(
                node.id(), NodeStatus.OFFLINE, failures + " probes failed in a row: " + failure, failingSince);
        if (after.isPresent() && after.get().status() != NodeStatus.OFFLINE) {
            Instant heartbeat = after.get().lastHeartbeat();
            String message = "{} probes of {} ({}) failed since {}, but it heartbeated at {}: this replica cannot reach"
                    + " it, the node is alive; not marking it offline ({})";
            if (failures == this.properties.probeFailureThreshold()) {
                logger.warn(message, failures, node.name(), node.id(), failingSince, heartbeat, failure);
            } else {
                logger.debug(message, failures, node.name(), node.id(), failingSince, heartbeat, failure);
            }
        }
    }

    /** When the node is probed next, if it has been seen; for tests. */
    java.util.Optional<Instant> nextProbeAt(String nodeId) {
        return java.util.Optional.ofNullable(this.states.get(nodeId)).map(ProbeState::nextProbeAt);
    }

    /** Whether the node's address accepts a TCP connection within the probe timeout. */
    private boolean accepts(URI uri) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(uri.getHost()), uri.getPort()), (int)
                    this.properties.probeTimeout().toMillis());
            return true;
        } catch (IOException ex) {
            return false;
        }
    }

    private URI healthUri(Node node) {
        return this.endpointPolicy.resolveUri(Endpoint.parse(node.endpoint()), ApiPaths.AGENT_HEALTH);
    }

    @Override
    public void destroy() {
        this.httpClient.shutdownNow();
        this.executor.shutdownNow();
    }

    /**
     * When to probe a node next, how many probes in a row failed and since when, and whether the node was loaded at
     * start-up and has not answered since (its failed probes are then retried at the restart interval).
     */
    record ProbeState(
            int consecutiveFailures,
            Instant nextProbeAt,
            boolean loaded,
            @Nullable Instant failingSince) {

        ProbeState(int consecutiveFailures, Instant nextProbeAt) {
            this(consecutiveFailures, nextProbeAt, false, null);
        }

        static ProbeState loaded(Instant now) {
            return new ProbeState(0, now, true, null);
        }

        static ProbeState first(Instant now, Duration interval) {
            // Spread first probes over one interval so a large fleet is not probed all at once.
            return new ProbeState(
                    0, now.plusMillis(ThreadLocalRandom.current().nextLong(Math.max(1, interval.toMillis()))));
        }
    }
}
