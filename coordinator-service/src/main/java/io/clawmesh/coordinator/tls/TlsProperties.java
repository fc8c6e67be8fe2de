package io.clawmesh.coordinator.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * HTTPS for the coordinator ({@code mesh.tls.*}, {@code tls.*} in {@code claw-mesh.yaml}, {@code up --tls}). Enabled
 * without certificate files, the coordinator is its own CA under {@code <data-dir>/tls} (ADR 0012).
 *
 * @param enabled serve HTTPS instead of plain HTTP
 * @param certFile own certificate chain (PEM) instead of the mesh CA's; needs {@code keyFile}
 * @param keyFile the private key (PEM) of {@code certFile}
 * @param caFile the CA (PEM) that issued {@code certFile}, whose fingerprint the coordinator shows; without it the last
 *     certificate of the chain
 * @param caKeyFile the private key (PEM, mode 0600) of {@code caFile}: with it the coordinator signs node certificates
 *     with the operator's CA and reaches agents over mutual TLS, as with the mesh CA; needs {@code certFile} and
 *     {@code caFile}
 * @param hostnames extra names and addresses for the server certificate, besides this machine's own
 * @param caLifetime how long a new mesh CA is valid
 * @param serverLifetime how long a server certificate of the mesh CA is valid; it is renewed once less than a third
 *     of that is left
 * @param renewalCheck how often the coordinator checks whether its server certificate is due
 * @param nodeLifetime how long a node certificate signed from a node's CSR is valid
 */
@ConfigurationProperties("mesh.tls")
public record TlsProperties(
        @DefaultValue("false") boolean enabled,
        @Nullable Path certFile,
        @Nullable Path keyFile,
        @Nullable Path caFile,
        @Nullable Path caKeyFile,
        @DefaultValue List<String> hostnames,
        @DefaultValue("3650d") Duration caLifetime,
        @DefaultValue("90d") Duration serverLifetime,
        @DefaultValue("1h") Duration renewalCheck,
        @DefaultValue("30d") Duration nodeLifetime) {

    /** Whether the coordinator serves certificates of its own CA (enabled, no certificate files). */
    public boolean ownCa() {
        return this.enabled && this.certFile == null;
    }

    /** Whether the coordinator signs node certificates with the operator's CA key ({@code caKeyFile}). */
    public boolean operatorCa() {
        return this.enabled && this.certFile != null && this.caKeyFile != null;
    }

    /**
     * Whether the coordinator has a CA key to sign node certificates with (its own CA or the operator's), and so
     * reaches inbound agents over mutual TLS.
     */
    public boolean signsNodeCertificates() {
        return ownCa() || operatorCa();
    }
}
