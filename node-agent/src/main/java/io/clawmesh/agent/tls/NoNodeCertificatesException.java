package io.clawmesh.agent.tls;

/**
 * The coordinator signs no node certificates: it serves its own certificate files instead of the mesh CA, so it has no
 * CA key (ADR 0012). An agent that serves mutual TLS can then never be reached by it.
 */
public class NoNodeCertificatesException extends RuntimeException {

    public NoNodeCertificatesException(String message) {
        super(message);
    }
}
