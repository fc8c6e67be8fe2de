package io.clawmesh.coordinator.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * When to renew the coordinator's server certificate: every {@code mesh.tls.renewal-check}; what renewal does is
 * {@link ServerCertificates#ensure()}. Boot's SSL bundle sees the new files and serves them without a restart.
 */
public class ServerCertificateRenewalTask {

    private static final Logger logger = LoggerFactory.getLogger(ServerCertificateRenewalTask.class);

    private final ServerCertificates certificates;

    public ServerCertificateRenewalTask(ServerCertificates certificates) {
        this.certificates = certificates;
    }

    @Scheduled(fixedDelayString = "${mesh.tls.renewal-check:1h}", initialDelayString = "${mesh.tls.renewal-check:1h}")
    public void renew() {
        try {
            if (this.certificates.ensure()) {
                logger.info(
                        "Renewed the coordinator's server certificate in {}; it is served once reloaded",
                        this.certificates.files().serverCertificate());
            }
        } catch (RuntimeException ex) {
            logger.warn("Cannot renew the coordinator's server certificate: {}", ex.getMessage());
        }
    }
}
