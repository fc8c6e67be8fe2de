package io.clawmesh.coordinator.tls;

import io.clawmesh.common.tls.CaFingerprint;
import io.clawmesh.common.tls.MeshTrust;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * What the coordinator tells about its TLS: whether it serves HTTPS and the fingerprint of the CA that clients pin
 * ({@code tls} in {@code GET /actuator/info}, open like the rest of that endpoint: a CA fingerprint is public).
 */
public class TlsStatus implements InfoContributor {

    private final TlsProperties properties;

    private final @Nullable Path dataDir;

    public TlsStatus(TlsProperties properties, @Nullable Path dataDir) {
        this.properties = properties;
        this.dataDir = dataDir;
    }

    /** Whether the coordinator serves HTTPS. */
    public boolean enabled() {
        return this.properties.enabled();
    }

    /** The CA's fingerprint, or {@code null} without TLS or without a CA to tell. */
    public @Nullable CaFingerprint caFingerprint() {
        X509Certificate ca = caCertificate();
        return (ca != null) ? CaFingerprint.of(ca) : null;
    }

    /** The CA certificate clients should trust, or {@code null}. */
    public @Nullable X509Certificate caCertificate() {
        if (!this.properties.enabled()) {
            return null;
        }
        Path file = this.properties.caFile();
        if (this.properties.ownCa() && this.dataDir != null) {
            file = TlsFiles.in(this.dataDir).caCertificate();
        }
        if (file != null) {
            return MeshTrust.readCertificates(file).get(0);
        }
        Path chain = this.properties.certFile();
        if (chain == null) {
            return null;
        }
        List<X509Certificate> certificates = MeshTrust.readCertificates(chain);
        return certificates.get(certificates.size() - 1);
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> tls = new LinkedHashMap<>();
        tls.put("enabled", enabled());
        CaFingerprint fingerprint = caFingerprint();
        if (fingerprint != null) {
            tls.put("ca_fingerprint", fingerprint.toString());
        }
        builder.withDetail("tls", tls);
    }
}
