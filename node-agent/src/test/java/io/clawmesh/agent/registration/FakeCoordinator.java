package io.clawmesh.agent.registration;

import io.clawmesh.common.api.CoordinatorApi;
import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.message.RouteResponse;
import io.clawmesh.common.node.HeartbeatRequest;
import io.clawmesh.common.node.HeartbeatResponse;
import io.clawmesh.common.node.NodeView;
import io.clawmesh.common.node.RegisterNodeRequest;
import io.clawmesh.common.node.RegisterNodeResponse;
import io.clawmesh.common.routing.MoveRuleRequest;
import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.common.routing.RuleRequest;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientException;

/**
 * A scripted {@link CoordinatorApi}: records every registration, heartbeat and deregistration, and fails the next
 * calls as told (an HTTP status or "unreachable").
 */
final class FakeCoordinator implements CoordinatorApi {

    final List<RegisterNodeRequest> registrations = new ArrayList<>();

    final List<HeartbeatRequest> heartbeats = new ArrayList<>();

    final List<String> heartbeatIds = new ArrayList<>();

    final List<String> deregistrations = new ArrayList<>();

    private final Deque<RestClientException> failures = new ArrayDeque<>();

    private int issued;

    private @Nullable String nextToken;

    private @Nullable String nextCertificate;

    /** The next call fails with this HTTP status. */
    FakeCoordinator answerNext(HttpStatus status) {
        this.failures.add(HttpClientErrorException.create(
                status, status.getReasonPhrase(), new HttpHeaders(), new byte[0], StandardCharsets.UTF_8));
        return this;
    }

    /** The next {@code times} calls find nobody listening. */
    FakeCoordinator unreachableFor(int times) {
        for (int i = 0; i < times; i++) {
            this.failures.add(new ResourceAccessException("I/O error", new ConnectException("Connection refused")));
        }
        return this;
    }

    @Override
    public RegisterNodeResponse register(RegisterNodeRequest request) {
        failIfScripted();
        this.registrations.add(request);
        String id = (request.nodeId() != null) ? request.nodeId() : "node-%016x".formatted(++this.issued);
        return new RegisterNodeResponse(id, "token-" + this.registrations.size());
    }

    /** The next heartbeat's reply hands over this node token (a rotation). */
    FakeCoordinator rotateNext(String token) {
        this.nextToken = token;
        return this;
    }

    /** The next heartbeat's reply carries this certificate chain (a renewal through the heartbeat). */
    FakeCoordinator certifyNext(String chain) {
        this.nextCertificate = chain;
        return this;
    }

    @Override
    public ResponseEntity<HeartbeatResponse> heartbeat(String id, HeartbeatRequest request) {
        failIfScripted();
        this.heartbeatIds.add(id);
        this.heartbeats.add(request);
        String token = this.nextToken;
        String certificate = this.nextCertificate;
        this.nextToken = null;
        this.nextCertificate = null;
        return (token != null || certificate != null)
                ? ResponseEntity.ok(new HeartbeatResponse(token, certificate))
                : ResponseEntity.noContent().build();
    }

    @Override
    public void deregister(String id) {
        failIfScripted();
        this.deregistrations.add(id);
    }

    private void failIfScripted() {
        RestClientException failure = this.failures.poll();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public List<NodeView> nodes() {
        throw new UnsupportedOperationException();
    }

    @Override
    public NodeView node(String id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RouteResponse route(RouteRequest request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RouteResponse routeTo(String node, RouteRequest request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<RoutingRule> rules() {
        throw new UnsupportedOperationException();
    }

    @Override
    public RoutingRule addRule(RuleRequest request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void deleteRule(String id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<RoutingRule> moveRule(String id, MoveRuleRequest request) {
        throw new UnsupportedOperationException();
    }
}
