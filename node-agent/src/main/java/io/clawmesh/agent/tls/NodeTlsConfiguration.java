package io.clawmesh.agent.tls;

import io.clawmesh.agent.LocalNode;
import io.clawmesh.agent.registration.NodeRegistrar;
import io.clawmesh.agent.registration.RegistrationConfiguration;
import io.clawmesh.agent.registration.RegistrationState;
import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.node.ConnectMode;
import io.clawmesh.common.tls.CaFingerprint;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * Mutual TLS for the inbound API ({@code mesh.agent.mutual-tls}, ADR 0012): on ({@code auto}) for an agent that trusts
 * an https coordinator by pin or CA file and opens a port; {@code off} keeps plain HTTP (a coordinator with its own
 * certificate files and no CA key has no CA to sign node certificates).
 */
@Configuration(proxyBeanMethods = false)
// no @Conditional: the launcher runs the agent with AOT, which would freeze a condition at build time; the beans are
// cheap and idle unless enabled(environment) says so at run time
public class NodeTlsConfiguration {

    /** {@code auto} (default), {@code on} or {@code off}. */
    public static final String MUTUAL_TLS = "mesh.agent.mutual-tls";

    @Bean
    NodeCertificates nodeCertificates(
            LocalNode localNode, RegistrationState state, RestClient coordinatorRestClient, Environment environment) {
        String fingerprint = environment.getProperty("mesh.agent.ca-fingerprint");
        return new NodeCertificates(
                localNode.dataDir(),
                state,
                (nodeId, csr) -> certificateOf(signed(coordinatorRestClient, nodeId, csr)),
                (fingerprint != null && !fingerprint.isBlank()) ? CaFingerprint.parse(fingerprint) : null,
                Clock.systemUTC());
    }

    @Bean
    NodeCertificateTask nodeCertificateTask(
            NodeCertificates certificates, NodeRegistrar registrar, Environment environment) {
        boolean enabled = enabled(environment);
        if (enabled) {
            // renewals ride on the heartbeat; the task gets the first certificate and is the fallback
            registrar.renewCertificatesWith(certificates);
        }
        return new NodeCertificateTask(certificates, enabled);
    }

    static @org.jspecify.annotations.Nullable Map<?, ?> signed(RestClient coordinator, String nodeId, String csr) {
        try {
            return coordinator
                    .post()
                    .uri(ApiPaths.NODE + "/certificate", nodeId)
                    .body(Map.of("csr", csr))
                    .retrieve()
                    .body(Map.class);
        } catch (HttpClientErrorException.NotFound ex) {
            if (ex.getResponseBodyAsString().contains("node-not-found")) {
                throw ex; // the node is gone: registration takes care of that
            }
            // no such endpoint: the coordinator serves its own certificate files and has no CA key
            throw new NoNodeCertificatesException(
                    "the coordinator has no certificate endpoint (it serves its own certificate files without their"
                            + " CA's key, tls.ca_key_file)");
        }
    }

    private static String certificateOf(@org.jspecify.annotations.Nullable Map<?, ?> answer) {
        Object certificate = (answer != null) ? answer.get("certificate") : null;
        if (!(certificate instanceof String pem) || pem.isBlank()) {
            throw new IllegalStateException("the coordinator's answer has no certificate");
        }
        return pem;
    }

    /** Whether this agent serves its API over mutual TLS. */
    public static boolean enabled(Environment environment) {
        String mode = environment.getProperty(MUTUAL_TLS, "auto").strip().toLowerCase(Locale.ROOT);
        switch (mode) {
            case "off", "false" -> {
                return false;
            }
            case "on", "true", "auto" -> {
                // decided below
            }
            default -> throw new IllegalArgumentException(MUTUAL_TLS + " '" + mode + "' must be auto, on or off");
        }
        String url = environment.getProperty("mesh.agent.coordinator-url", "");
        boolean https = url.strip().regionMatches(true, 0, "https:", 0, 6);
        boolean pinned =
                !environment.getProperty("mesh.agent.ca-fingerprint", "").isBlank()
                        || !environment.getProperty("mesh.agent.ca-file", "").isBlank();
        boolean listening = RegistrationConfiguration.connectPreference(environment) != ConnectMode.OUTBOUND;
        if (mode.equals("on") || mode.equals("true")) {
            if (!(https && pinned)) {
                throw new IllegalStateException(MUTUAL_TLS + "=on needs an https:// coordinator URL and "
                        + "--ca-fingerprint or --ca-file (the node certificate comes from the mesh CA)");
            }
            return listening;
        }
        return https && pinned && listening;
    }
}
