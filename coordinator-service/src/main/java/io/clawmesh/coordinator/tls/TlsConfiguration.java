package io.clawmesh.coordinator.tls;

import io.clawmesh.common.tls.CaFingerprint;
import io.clawmesh.coordinator.MeshProperties;
import io.clawmesh.coordinator.registry.EndpointPolicy;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Wires the coordinator's TLS: its status, the renewal of a mesh CA server certificate, node certificates, and the
 * count of TLS handshakes with agents.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TlsProperties.class)
class TlsConfiguration {

    private static final Logger logger = LoggerFactory.getLogger(TlsConfiguration.class);

    @Bean
    TlsStatus tlsStatus(TlsProperties properties, MeshProperties mesh) {
        return new TlsStatus(
                properties, (mesh.dataDir() != null) ? mesh.dataDir().toAbsolutePath() : null);
    }

    @Bean
    // the mesh CA's own certificate only: the operator renews own certificate files (Boot reloads them too)
    @ConditionalOnExpression("${mesh.tls.enabled:false} and '${mesh.tls.cert-file:}' == ''")
    ServerCertificateRenewalTask serverCertificateRenewalTask(
            TlsProperties properties, MeshProperties mesh, Clock clock) {
        return new ServerCertificateRenewalTask(
                new ServerCertificates(TlsFiles.in(mesh.dataDir().toAbsolutePath()), properties, clock));
    }

    @Bean
    // the mesh CA, or own certificate files with the operator's CA key: both sign node certificates
    @ConditionalOnExpression(
            "${mesh.tls.enabled:false} and ('${mesh.tls.cert-file:}' == ''" + " or '${mesh.tls.ca-key-file:}' != '')")
    NodeCertificates nodeCertificates(
            TlsProperties properties, MeshProperties mesh, Clock clock, EndpointPolicy endpoints) {
        if (properties.operatorCa()) {
            return new NodeCertificates(OperatorCa.load(properties, clock.instant()), properties, clock, endpoints);
        }
        return new NodeCertificates(TlsFiles.in(mesh.dataDir().toAbsolutePath()), properties, clock, endpoints);
    }

    /**
     * {@code mesh_tls_handshakes_total{peer="agent"}}: TLS connections the coordinator opened to agents (mutual TLS),
     * by its message client ({@code client="forwarding"}, pooled, so a benchmark can show that load makes next to
     * none) and by its health prober ({@code client="prober"}).
     */
    @Bean
    MeterBinder agentTlsHandshakes() {
        return (registry) -> {
            FunctionCounter.builder("mesh.tls.handshakes", AgentClientTls.class, (ignored) ->
                            (double) AgentClientTls.handshakes())
                    .description("TLS handshakes the coordinator made with agents (new connections)")
                    .tag("peer", "agent")
                    .tag("client", "forwarding")
                    .register(registry);
            FunctionCounter.builder("mesh.tls.handshakes", AgentClientTls.class, (ignored) ->
                            (double) AgentClientTls.probeHandshakes())
                    .description("TLS handshakes the coordinator made with agents (new connections)")
                    .tag("peer", "agent")
                    .tag("client", "prober")
                    .register(registry);
        };
    }

    @EventListener(ApplicationReadyEvent.class)
    void announce(ApplicationReadyEvent event) {
        TlsStatus status = event.getApplicationContext().getBean(TlsStatus.class);
        CaFingerprint fingerprint = status.caFingerprint();
        if (fingerprint != null) {
            logger.info(
                    "Serving HTTPS; the mesh CA fingerprint is {} (agents join with "
                            + "claw-mesh join https://HOST:PORT --ca-fingerprint {})",
                    fingerprint,
                    fingerprint);
        }
    }
}
