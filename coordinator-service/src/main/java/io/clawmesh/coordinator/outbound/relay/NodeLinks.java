package io.clawmesh.coordinator.outbound.relay;

import io.clawmesh.coordinator.outbound.AgentLinks;
import io.clawmesh.coordinator.outbound.LinkExchange;
import io.clawmesh.coordinator.outbound.LinkLostException;
import io.clawmesh.coordinator.outbound.LinkResponse;
import io.clawmesh.coordinator.registry.Node;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * The way to an outbound node from this replica: its connection here when it holds one, else a relay through the
 * replica that does ({@code nodes.link_replica}, alive). The callers (messages, tasks, cancels) see one kind of
 * exchange either way, with the same failover: nothing reached the agent, or it had not acknowledged the request, and
 * another node may be tried.
 */
@Component
public class NodeLinks {

    private final AgentLinks links;

    private final LinkLocations locations;

    private final RelayClient relay;

    public NodeLinks(AgentLinks links, LinkLocations locations, RelayClient relay) {
        this.links = links;
        this.locations = locations;
        this.relay = relay;
    }

    /**
     * Sends a request to an outbound node, here or through the replica that holds its connection.
     *
     * @throws LinkLostException (not accepted) when no live replica holds a connection of the node, or it broke
     *     before the request reached the agent
     */
    public NodeExchange exchange(
            Node node, String method, String path, Map<String, String> headers, byte[] body, Duration readTimeout)
            throws LinkLostException {
        if (this.links.connected(node.id())) {
            try {
                return new Local(this.links.exchange(node, method, path, headers, body, readTimeout));
            } catch (LinkLostException ex) {
                // it dropped just now; the agent may already be connected to another replica
                if (ex.accepted()) {
                    throw ex;
                }
            }
        }
        Optional<LinkLocations.Location> where;
        try {
            where = this.locations.find(node.id());
        } catch (DataAccessException ex) {
            throw new LinkLostException(
                    false,
                    node.name() + " is outbound, and where its connection is cannot be read: " + ex.getMessage());
        }
        if (where.isEmpty() || where.get().replica().equals(this.locations.replicaId())) {
            throw new LinkLostException(
                    false, node.name() + " is an outbound node without an open connection to any coordinator replica");
        }
        return this.relay.open(node, where.get(), method, path, headers, body, readTimeout);
    }

    /** This replica's own connection. */
    private record Local(LinkExchange exchange) implements NodeExchange {

        @Override
        public LinkResponse response() throws IOException {
            return this.exchange.response();
        }

        @Override
        public boolean accepted() {
            return this.exchange.accepted();
        }

        @Override
        public void close() {
            this.exchange.close();
        }
    }
}
