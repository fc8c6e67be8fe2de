package io.clawmesh.agent.registration;

import io.clawmesh.common.node.ConnectMode;
import io.clawmesh.common.node.HeartbeatRequest;
import io.clawmesh.common.node.NodeCredentials;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The identity the agent acts under right now, shared by the heartbeat (which sets it), the coordinator client (which
 * sends its token) and the inbound API (which checks the coordinator's delivery credential against it).
 */
public class RegistrationState {

    private record Current(
            NodeIdentity identity,
            String deliveryCredential,
            @Nullable String previousDeliveryCredential) {}

    private volatile @Nullable Consumer<String> nodeTokens;

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

    /**
     * The credential derived from the token a rotation replaced (ADR 0014), which the coordinator may still present
     * until all its replicas have seen the switch; empty when there was no rotation.
     */
    public Optional<String> previousDeliveryCredential() {
        Current known = this.current;
        return (known != null) ? Optional.ofNullable(known.previousDeliveryCredential()) : Optional.empty();
    }

    /** Acts under {@code identity} from now on. */
    public void use(NodeIdentity identity) {
        String credential =
                NodeCredentials.deliveryCredential(NodeCredentials.hash(identity.token()), identity.nodeId());
        String previous = (identity.previousToken() != null)
                ? NodeCredentials.deliveryCredential(NodeCredentials.hash(identity.previousToken()), identity.nodeId())
                : null;
        this.current = new Current(identity, credential, previous);
    }

    /** Who takes a node token the coordinator hands over outside an HTTP heartbeat reply (the outbound connection). */
    public void onNodeToken(Consumer<String> receiver) {
        this.nodeTokens = receiver;
    }

    /** Hands a node token that came down the outbound connection to the registrar. */
    public void nodeTokenReceived(String token) {
        Consumer<String> receiver = this.nodeTokens;
        if (receiver != null) {
            receiver.accept(token);
        }
    }

    /** Forgets the identity in use (the coordinator no longer knows it). */
    public void clear() {
        this.current = null;
        this.connect = null;
    }
}
