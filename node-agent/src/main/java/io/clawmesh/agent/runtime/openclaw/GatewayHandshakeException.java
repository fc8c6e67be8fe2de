package io.clawmesh.agent.runtime.openclaw;

/** The gateway WebSocket could not be established; {@link #failure()} says which of the distinct causes it was. */
public class GatewayHandshakeException extends Exception {

    private final Failure failure;

    GatewayHandshakeException(Failure failure, String message) {
        super(message);
        this.failure = failure;
    }

    GatewayHandshakeException(Failure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    public Failure failure() {
        return this.failure;
    }

    /** The distinct ways a handshake fails, each logged with its own explanation. */
    public enum Failure {
        /** Nothing accepts connections on the gateway port. */
        UNREACHABLE,
        /** The port answers HTTP but refuses the WebSocket upgrade. */
        NOT_WEBSOCKET,
        /** No {@code connect.challenge} arrived after the socket opened. */
        NO_CHALLENGE,
        /** {@code connect} was not answered with {@code hello-ok}. */
        NO_HELLO,
        /** Close 1008 with a token mismatch: the shared token is wrong or missing. */
        TOKEN_REJECTED,
        /** Close 1008 asking for a device identity: no token was sent, or a remote gateway wants pairing. */
        PAIRING_REQUIRED,
        /** Close 1002: the gateway speaks none of the protocol versions 3–4. */
        PROTOCOL_MISMATCH,
        /** {@code hello-ok} granted too few scopes to run agents ({@code operator.write}). */
        SCOPES_MISSING,
        /** Any other refusal of {@code connect}. */
        REJECTED
    }
}
