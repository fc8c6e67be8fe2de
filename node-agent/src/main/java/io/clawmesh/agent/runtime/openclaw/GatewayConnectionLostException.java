package io.clawmesh.agent.runtime.openclaw;

/** The gateway WebSocket closed while a request was waiting for its answer; the run may still finish there. */
class GatewayConnectionLostException extends RuntimeException {

    GatewayConnectionLostException(String message) {
        super(message);
    }
}
