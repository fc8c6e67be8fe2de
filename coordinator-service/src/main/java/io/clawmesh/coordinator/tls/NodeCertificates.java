package io.clawmesh.coordinator.tls;

import io.clawmesh.common.node.Endpoint;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.coordinator.registry.EndpointPolicy;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.NodeCertificateSigner;
import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * Signs a node's certificate signing request with the mesh CA (or the operator's CA, {@code mesh.tls.ca-key-file}): the CSR must be PEM, signed by its own key (proof that
 * the node holds the private key) and carry an EC P-256 or RSA (2048 bits or more) key. What the CSR asks for as
 * subject or names is ignored: the certificate names the node id ({@code CN}) and its endpoint host, plus the
 * addresses a host name resolves to (the coordinator connects to the address it checked), nothing else.
 */
public class NodeCertificates implements NodeCertificateSigner {

    /** Largest CSR accepted, in characters of PEM. */
    static final int MAX_CSR = 16 * 1024;

    private final Function<Instant, CertificateAuthority> authority;

    private final TlsProperties properties;

    private final Clock clock;

    private final EndpointPolicy endpoints;

    /** Signs with the mesh CA of these files. */
    public NodeCertificates(TlsFiles files, TlsProperties properties, Clock clock, EndpointPolicy endpoints) {
        this((now) -> files.loadOrCreateAuthority(now, properties.caLifetime()), properties, clock, endpoints);
    }

    /** Signs with this CA (the operator's, {@link OperatorCa}). */
    public NodeCertificates(
            CertificateAuthority authority, TlsProperties properties, Clock clock, EndpointPolicy endpoints) {
        this((now) -> authority, properties, clock, endpoints);
    }

    private NodeCertificates(
            Function<Instant, CertificateAuthority> authority,
            TlsProperties properties,
            Clock clock,
            EndpointPolicy endpoints) {
        this.authority = authority;
        this.properties = properties;
        this.clock = clock;
        this.endpoints = endpoints;
    }

    @Override
    public void check(String csrPem) {
        verifiedKey(csrPem);
    }

    @Override
    public String sign(Node node, String csrPem) {
        return sign(node.id(), names(node), csrPem).certificate();
    }

    /**
     * The names a node's certificate carries: its endpoint host and, for a host name, every address it resolves to
     * now; none for an outbound node.
     */
    List<String> names(Node node) {
        if (node.endpoint() == null || node.endpoint().isBlank()) {
            return List.of();
        }
        Endpoint endpoint = Endpoint.parse(node.endpoint());
        Set<String> names = new LinkedHashSet<>();
        names.add(endpoint.host());
        if (!endpoint.isIpLiteral()) {
            try {
                this.endpoints.allowedAddresses(endpoint).forEach((address) -> names.add(address.getHostAddress()));
            } catch (InvalidInputException ex) {
                // the name alone: the coordinator refuses to connect there anyway until it resolves to allowed ones
            }
        }
        return List.copyOf(names);
    }

    /**
     * Issues a certificate for the node.
     *
     * @param names the host names and addresses the certificate names (none for an outbound node)
     * @return the node certificate followed by the CA's, PEM
     * @throws InvalidInputException for a CSR that is not one, is not signed by its key, or has a weak key
     */
    public Issued sign(String nodeId, List<String> names, String csrPem) {
        PublicKey key = verifiedKey(csrPem);
        Instant now = this.clock.instant();
        CertificateAuthority authority = this.authority.apply(now);
        X509Certificate certificate = authority.issueNode(key, nodeId, names, now, this.properties.nodeLifetime());
        return new Issued(
                TlsFiles.pem(certificate) + TlsFiles.pem(authority.certificate()),
                certificate.getNotAfter().toInstant());
    }

    static PublicKey verifiedKey(String csrPem) {
        if (csrPem.length() > MAX_CSR) {
            throw new InvalidInputException("csr: longer than " + MAX_CSR + " characters");
        }
        Object parsed;
        try (PEMParser parser = new PEMParser(new StringReader(csrPem))) {
            parsed = parser.readObject();
        } catch (IOException | RuntimeException ex) {
            throw new InvalidInputException("csr: not a PEM certificate signing request (" + ex.getMessage() + ")");
        }
        if (!(parsed instanceof PKCS10CertificationRequest request)) {
            throw new InvalidInputException("csr: not a PEM certificate signing request (BEGIN CERTIFICATE REQUEST)");
        }
        try {
            JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(request);
            PublicKey key = jca.getPublicKey();
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                throw new InvalidInputException("csr: its signature does not match its key");
            }
            if (!(key instanceof ECPublicKey ec
                            && ec.getParams().getCurve().getField().getFieldSize() >= 256)
                    && !(key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= 2048)) {
                throw new InvalidInputException("csr: the key must be EC P-256 or RSA of 2048 bits or more");
            }
            return key;
        } catch (GeneralSecurityException | OperatorCreationException | PKCSException ex) {
            throw new InvalidInputException("csr: cannot be verified (" + ex.getMessage() + ")");
        }
    }

    /**
     * A signed node certificate.
     *
     * @param certificate the node certificate and the CA's, PEM
     * @param notAfter when the node certificate expires
     */
    public record Issued(String certificate, Instant notAfter) {}
}
