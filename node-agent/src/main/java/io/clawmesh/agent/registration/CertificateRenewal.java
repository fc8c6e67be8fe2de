package io.clawmesh.agent.registration;

import org.jspecify.annotations.Nullable;

/**
 * What a heartbeat carries for the node's certificate of the mesh CA (SPEC §18, ADR 0012): a certificate signing
 * request once renewal is due, and the chain the reply brings back. The heartbeat loop only carries; the certificate
 * side decides when, and checks and serves what comes back.
 */
public interface CertificateRenewal {

    /** Carries nothing: an agent without mutual TLS. */
    CertificateRenewal NONE = new CertificateRenewal() {
        @Override
        public @Nullable String csrIfDue(String nodeId) {
            return null;
        }

        @Override
        public void renewed(String nodeId, String chainPem) {}

        @Override
        public void notRenewed(String nodeId, String reason) {}
    };

    /** A CSR (PEM) for the next heartbeat of this node, or {@code null} when no renewal is due. */
    @Nullable
    String csrIfDue(String nodeId);

    /** The heartbeat reply's chain (node certificate, then the CA's, PEM): checked, stored and served from now on. */
    void renewed(String nodeId, String chainPem);

    /** A heartbeat carried a CSR, and the coordinator answered without a certificate or refused it. */
    void notRenewed(String nodeId, String reason);
}
