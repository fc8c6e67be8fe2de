package io.clawmesh.coordinator.tls;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns {@code mesh.tls.enabled} into Boot's SSL bundle {@code mesh} for the server, before the web server is made:
 * with the mesh CA's files (created now when missing or due) or with the operator's own files. The bundle reloads
 * when its files change ({@code reload-on-update}), which is how a renewed certificate is served without a restart.
 */
public class TlsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** The name of the SSL bundle the server uses. */
    public static final String BUNDLE = "mesh";

    private static final String PREFIX = "spring.ssl.bundle.pem." + BUNDLE + ".";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Binder binder = Binder.get(environment);
        TlsProperties tls = binder.bindOrCreate("mesh.tls", TlsProperties.class);
        if (!tls.enabled()) {
            return;
        }
        if (tls.caKeyFile() != null && tls.certFile() == null) {
            throw new IllegalStateException(
                    "mesh.tls.ca-key-file (tls.ca_key_file) goes with own certificate files: set mesh.tls.cert-file,"
                            + " key-file and ca-file too (without them the coordinator makes and uses its own mesh CA)");
        }
        Path certificate;
        Path key;
        if (tls.ownCa()) {
            Path dataDir = Path.of(environment.getRequiredProperty("mesh.data-dir"));
            ServerCertificates certificates =
                    new ServerCertificates(TlsFiles.in(dataDir.toAbsolutePath()), tls, Clock.systemUTC());
            certificates.ensure();
            certificate = certificates.files().serverCertificate();
            key = certificates.files().serverKey();
        } else {
            if (tls.keyFile() == null) {
                throw new IllegalStateException(
                        "mesh.tls.cert-file (tls.cert_file) needs mesh.tls.key-file (tls.key_file): the private key of "
                                + "the certificate");
            }
            certificate = tls.certFile();
            key = tls.keyFile();
            if (tls.operatorCa()) {
                // refuse to start with a CA key that is unreadable, readable by others or not the CA's (the reason
                // ends the start), rather than fail at the first node's CSR
                OperatorCa.load(tls, Instant.now());
            }
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("server.ssl.enabled", "true");
        properties.put("server.ssl.bundle", BUNDLE);
        properties.put(
                PREFIX + "keystore.certificate", certificate.toAbsolutePath().toString());
        properties.put(PREFIX + "keystore.private-key", key.toAbsolutePath().toString());
        properties.put(PREFIX + "reload-on-update", "true");
        environment.getPropertySources().addFirst(new MapPropertySource("meshTls", properties));
    }

    @Override
    public int getOrder() {
        // after claw-mesh.yaml and CLAW_MESH_* are mapped (ClawMeshConfigEnvironmentPostProcessor)
        return Ordered.LOWEST_PRECEDENCE - 5;
    }
}
