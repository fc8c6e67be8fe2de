package io.clawmesh.coordinator.registry;

/**
 * Signs the certificate signing request a node sends with a heartbeat when its certificate of the mesh CA is due for
 * renewal (SPEC §18, ADR 0012). A bean only when the coordinator runs the mesh CA; without one a heartbeat's CSR is
 * ignored and the reply carries no certificate.
 */
public interface NodeCertificateSigner {

    /**
     * Checks a CSR before the heartbeat changes anything.
     *
     * @throws io.clawmesh.common.node.InvalidInputException naming what is wrong with it
     */
    void check(String csrPem);

    /**
     * Signs a checked CSR for the node: the certificate names the node id and its endpoint host.
     *
     * @return the node certificate followed by the mesh CA's, PEM
     */
    String sign(Node node, String csrPem);
}
