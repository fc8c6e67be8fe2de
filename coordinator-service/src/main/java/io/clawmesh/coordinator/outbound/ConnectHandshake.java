package io.clawmesh.coordinator.outbound;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.link.LinkFrame;
import io.clawmesh.common.problem.ProblemType;
import io.clawmesh.common.problem.Problems;
import io.clawmesh.coordinator.registry.Caller;
import io.clawmesh.coordinator.registry.MeshRole;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.NodeRegistry;
import io.clawmesh.coordinator.security.ProblemWriter;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Admits a connection only for the caller's own node, and only for a node registered as outbound. The security chain
 * has already required a node token; this holds the node-takeover line: a node token never connects as another node.
 */
class ConnectHandshake implements HandshakeInterceptor {

    private static final String PREFIX = ApiPaths.NODES + "/";

    private static final String SUFFIX = "/connect";

    private final NodeRegistry registry;

    private final ProblemWriter problems;

    ConnectHandshake(NodeRegistry registry, ProblemWriter problems) {
        this.registry = registry;
        this.problems = problems;
    }

    @Override
    public boolean beforeHandshake(
            ServerHttpRequest request,
            ServerHttpResponse response,
            WebSocketHandler handler,
            Map<String, Object> attributes)
            throws IOException {
        String id = nodeId(request.getURI().getRawPath());
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        String ownNode =
                (authentication instanceof Caller caller && caller.role() == MeshRole.NODE) ? caller.nodeId() : null;
        if (ownNode == null || !ownNode.equals(id)) {
            return refuse(
                    request,
                    response,
                    Problems.of(
                            ProblemType.FORBIDDEN,
                            "a node token may connect only its own node; this token belongs to "
                                    + ((ownNode != null) ? ownNode : "no node")));
        }
        Optional<Node> node = this.registry.find(id);
        if (node.isEmpty()) {
            return refuse(request, response, Problems.of(ProblemType.NODE_NOT_FOUND, "no node " + id));
        }
        if (!node.get().outbound()) {
            return refuse(
                    request,
                    response,
                    Problems.of(
                            ProblemType.NODE_NOT_OUTBOUND,
                            "node " + id + " registered as "
                                    + node.get().connect().wireName()
                                    + "; register it with connect outbound or auto to use this connection"));
        }
        String version = request.getHeaders().getFirst(LinkFrame.VERSION_HEADER);
        int linkVersion = linkVersion(version);
        if (linkVersion < 1) {
            return refuse(
                    request,
                    response,
                    Problems.of(
                            ProblemType.INVALID_INPUT,
                            LinkFrame.VERSION_HEADER + " must be a link version from 1 to 99, not '"
                                    + shorten(String.valueOf(version)) + "'"));
        }
        attributes.put(AgentSocketHandler.NODE_ID, id);
        attributes.put(AgentSocketHandler.LINK_VERSION, linkVersion);
        return true;
    }

    @Override
    public void afterHandshake(
            ServerHttpRequest request,
            ServerHttpResponse response,
            WebSocketHandler handler,
            @Nullable Exception exception) {}

    private boolean refuse(ServerHttpRequest request, ServerHttpResponse response, ProblemDetail problem)
            throws IOException {
        if (request instanceof ServletServerHttpRequest servletRequest
                && response instanceof ServletServerHttpResponse servletResponse) {
            this.problems.write(servletRequest.getServletRequest(), servletResponse.getServletResponse(), problem);
        }
        return false;
    }

    /**
     * The link version an agent announced: 1 without the header (agents from before version 2), the number when it is
     * one from 1 to 99 (a newer agent speaks this coordinator's newest version too), 0 for anything else.
     */
    static int linkVersion(@Nullable String header) {
        if (header == null) {
            return 1;
        }
        String value = header.strip();
        if (value.isEmpty() || value.length() > 2 || !value.chars().allMatch((c) -> c >= '0' && c <= '9')) {
            return 0;
        }
        int version = Integer.parseInt(value);
        return (version >= 1) ? version : 0;
    }

    private static String shorten(String text) {
        return (text.length() > 40) ? text.substring(0, 40) + "…" : text;
    }

    private static String nodeId(String path) {
        if (path.startsWith(PREFIX) && path.endsWith(SUFFIX) && path.length() > PREFIX.length() + SUFFIX.length()) {
            return path.substring(PREFIX.length(), path.length() - SUFFIX.length());
        }
        return "";
    }
}
