package io.clawmesh.agent.registration;

/**
 * The port this agent's inbound server listens on, as registration reports it in the node's endpoint. The inbound
 * server implements it, so registration needs nothing from the inbound package.
 */
@FunctionalInterface
public interface ListenPort {

    /** The bound port once the server has started, else the configured one. */
    int port();
}
