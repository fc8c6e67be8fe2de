package io.clawmesh.agent.registration;

import io.clawmesh.common.node.ConnectMode;
import io.clawmesh.common.node.HeartbeatRequest;
import io.clawmesh.common.node.NodeCredentials;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The identity the agent acts under right now, shared by the heartbeat (which sets it), the coordinator client (which
 * sends its token) and the inbound API (which checks the coordinator's delivery credential against it).
 */
public class RegistrationState {

    private record Current(NodeIdentity identity, String deliveryCredential) {}

    private volatile @Nullable Current current;

    private volatile @Nullable ConnectMode connect;

    private volatile @Nullable Predicate<HeartbeatRequest> heartbeatLink;

    /**
     * Where heartbeats go while an outbound connection is open (ADR 0010): answers whether the heartbeat went up the
     * connection; empty or {@code false} means HTTP.
     */
    public Optional<Predicate<HeartbeatRequest>> heartbeatLink() {
        return Optional.ofNullable(this.heartbeatLink);
    }

    /** Sends heartbeats up {@code link} from now on; {@code null} for HTTP again. */
    public void heartbeatOver(@Nullable Predicate<HeartbeatRequest> link) {
        this.heartbeatLink = link;
    }

    /**
     * How the coordinator said it reaches this node at the last registration; empty after a resume (the stored
     * identity does not say) and before the first registration.
     */
    public Optional<ConnectMode> connect() {
        return Optional.ofNullable(this.connect);
    }

    /** Records the connect mode the coordinator chose at registration. */
    public void connectedAs(ConnectMode mode) {
        this.connect = mode;
    }

    /** The identity in use; empty before the first registration or resume. */
    public Optional<NodeIdentity> identity() {
        Current known = this.current;
        return (known != null) ? Optional.of(known.identity()) : Optional.empty();
    }

    /** The credential the coordinator must present to deliver messages to this node; empty before registration. */
    public Optional<String> deliveryCredential() {
        Current known = this.current;
        return (known != null) ? Optional.of(known.deliveryCredential()) : Optional.empty();
    }

    /** Acts under {@code identity} from now on. */
    public void use(NodeIdentity identity) {
        String credential =
                NodeCredentials.deliveryCredential(NodeCredentials.hash(identity.token()), identity.nodeId());
        this.current = new Current(identity, credential);
    }

    /** Forgets the identity in use (the coordinator no longer knows it). */
    public void clear() {
        this.current = null;
        this.connect = null;
    }
}
