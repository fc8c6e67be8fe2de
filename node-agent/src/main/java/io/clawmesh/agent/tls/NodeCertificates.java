package io.clawmesh.agent.tls;

import io.clawmesh.agent.registration.CertificateRenewal;
import io.clawmesh.agent.registration.NodeIdentity;
import io.clawmesh.agent.registration.RegistrationState;
import io.clawmesh.common.tls.CaFingerprint;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's certificate of the mesh CA (SPEC §18): an EC P-256 key pair kept in {@code <data-dir>/tls/node.key}
 * (mode 0600), a CSR for it (BouncyCastle PKIX), the certificate the coordinator signs from it after registration
 * ({@code node.crt}, the node certificate then the CA's), and its renewal through the heartbeat once two thirds of its
 * life are over ({@link CertificateRenewal}). The served certificate changes for the next handshake, without a
 * restart. Each {@link #step()} does at most one call to the certificate endpoint (the first certificate, or a
 * renewal the heartbeats did not bring by five sixths of the life) and answers when to look again, as
 * {@code NodeRegistrar} does.
 */
public class NodeCertificates implements CertificateRenewal {

    private static final Logger logger = LoggerFactory.getLogger(NodeCertificates.class);

    /** How soon to try again when the coordinator could not sign. */
    static final Duration RETRY = Duration.ofSeconds(5);

    /** How soon to look again before registration: no call is made, and the certificate should follow it closely. */
    static final Duration AWAIT_IDENTITY = Duration.ofMillis(500);

    /** The longest wait between two looks, so a clock jump or a lost node is noticed. */
    static final Duration MAX_WAIT = Duration.ofHours(1);

    /**
     * Signs a CSR for a node: answers the PEM chain (node certificate, then the CA's), or throws
     * {@link NoNodeCertificatesException} when the coordinator signs none.
     */
    @FunctionalInterface
    public interface Signer {
        String sign(String nodeId, String csrPem);
    }

    private final Path dir;

    private final RegistrationState state;

    private final Signer signer;

    private final @Nullable CaFingerprint pinned;

    private final Clock clock;

    private final ServedNodeKey keys = new ServedNodeKey();

    private final CoordinatorClientTrust clients = new CoordinatorClientTrust();

    private final SSLContext serverContext;

    private @Nullable KeyPair pair;

    /** Not before this instant does a heartbeat carry a CSR again (after a reply without a certificate). */
    private Instant nextHeartbeatCsr = Instant.MIN;

    /**
     * @param dataDir the agent's data dir; files go to its {@code tls} folder
     * @param pinned the CA fingerprint the agent pinned, checked against the CA the coordinator sends; {@code null}
     *     when it trusts a CA file instead (the connection that brought the chain was checked against it)
     */
    public NodeCertificates(
            Path dataDir, RegistrationState state, Signer signer, @Nullable CaFingerprint pinned, Clock clock) {
        this.dir = dataDir.resolve("tls");
        this.state = state;
        this.signer = signer;
        this.pinned = pinned;
        this.clock = clock;
        try {
            this.serverContext = SSLContext.getInstance("TLS");
            this.serverContext.init(new KeyManager[] {this.keys}, new TrustManager[] {this.clients}, null);
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("Cannot set up TLS: " + ex.getMessage(), ex);
        }
    }

    /** The TLS context of the inbound server: this node's certificate, the coordinator's client certificate only. */
    public SSLContext serverContext() {
        return this.serverContext;
    }

    /** The certificate served now, or {@code null} before the first one. */
    public @Nullable X509Certificate current() {
        return this.keys.current();
    }

    Path keyFile() {
        return this.dir.resolve("node.key");
    }

    Path certificateFile() {
        return this.dir.resolve("node.crt");
    }

    /**
     * Serves the stored key and certificate, if there are any that still hold: a restarted node is reachable over
     * mutual TLS before its first call to the coordinator.
     */
    public synchronized void load() {
        if (!Files.isRegularFile(keyFile()) || !Files.isRegularFile(certificateFile())) {
            return;
        }
        try {
            this.pair = readKey(keyFile());
            List<X509Certificate> chain = readChain(Files.readString(certificateFile()));
            X509Certificate ca = chain.get(chain.size() - 1);
            // a certificate of an earlier coordinator's CA, or an expired one, waits for a new one
            if (chain.size() > 1
                    && (this.pinned == null || this.pinned.matches(ca))
                    && chain.get(0).getNotAfter().toInstant().isAfter(this.clock.instant())
                    && chain.get(0).getPublicKey().equals(this.pair.getPublic())) {
                use(chain);
                logger.info(
                        "Serving the stored node certificate {} (valid until {})",
                        subject(chain.get(0)),
                        chain.get(0).getNotAfter().toInstant());
            }
        } catch (IOException | RuntimeException ex) {
            logger.warn(
                    "Ignoring the stored node certificate in {} ({}); asking for a new one", this.dir, ex.getMessage());
        }
    }

    /**
     * Asks the certificate endpoint for a certificate when there is none, when it names another node, or when five
     * sixths of its life are over (the heartbeats should have renewed it from two thirds on).
     *
     * @return how long to wait before the next step
     */
    public synchronized Duration step() {
        Optional<NodeIdentity> identity = this.state.identity();
        if (identity.isEmpty()) {
            return AWAIT_IDENTITY;
        }
        String nodeId = identity.get().nodeId();
        Instant now = this.clock.instant();
        X509Certificate current = this.keys.current();
        if (current != null && nodeId.equals(subject(current))) {
            Instant due = fallbackTime(current);
            if (now.isBefore(due)) {
                Duration wait = Duration.between(now, due);
                return (wait.compareTo(MAX_WAIT) > 0) ? MAX_WAIT : wait;
            }
        }
        try {
            String chainPem = this.signer.sign(nodeId, csr(nodeId));
            List<X509Certificate> chain = readChain(chainPem);
            check(chain, nodeId);
            writeAtomically(certificateFile(), chainPem);
            use(chain);
            logger.info(
                    "{} node certificate for {} (valid until {}); serving it from the next connection",
                    (current == null) ? "Got a" : "Renewed the (heartbeats did not)",
                    nodeId,
                    chain.get(0).getNotAfter().toInstant());
            Duration wait = Duration.between(now, fallbackTime(chain.get(0)));
            return wait.isNegative() ? RETRY : ((wait.compareTo(MAX_WAIT) > 0) ? MAX_WAIT : wait);
        } catch (NoNodeCertificatesException ex) {
            logger.error(
                    "Cannot get a node certificate for {}: {}. This agent's port speaks only mutual TLS, so that"
                            + " coordinator cannot reach it: restart the agent with --mesh.agent.mutual-tls=off"
                            + " (claw-mesh join ... --mesh.agent.mutual-tls=off), or give the coordinator its CA's key"
                            + " (tls.ca_key_file) so it signs node certificates. Asking again in {}",
                    nodeId,
                    ex.getMessage(),
                    MAX_WAIT);
            return MAX_WAIT;
        } catch (RuntimeException ex) {
            logger.warn(
                    "Cannot get a node certificate for {}: {}. Trying again in {}s",
                    nodeId,
                    ex.getMessage(),
                    RETRY.toSeconds());
            return RETRY;
        }
    }

    @Override
    public synchronized @Nullable String csrIfDue(String nodeId) {
        X509Certificate current = this.keys.current();
        Instant now = this.clock.instant();
        if (current == null
                || !nodeId.equals(subject(current))
                || now.isBefore(renewalTime(current))
                || now.isBefore(this.nextHeartbeatCsr)) {
            return null;
        }
        return csr(nodeId);
    }

    @Override
    public synchronized void renewed(String nodeId, String chainPem) {
        try {
            List<X509Certificate> chain = readChain(chainPem);
            check(chain, nodeId);
            writeAtomically(certificateFile(), chainPem);
            use(chain);
            logger.info(
                    "Renewed the node certificate for {} through the heartbeat (valid until {}); serving it from the"
                            + " next connection",
                    nodeId,
                    chain.get(0).getNotAfter().toInstant());
        } catch (RuntimeException ex) {
            notRenewed(nodeId, "the heartbeat reply's certificate is refused: " + ex.getMessage());
        }
    }

    @Override
    public synchronized void notRenewed(String nodeId, String reason) {
        this.nextHeartbeatCsr = this.clock.instant().plus(RETRY);
        logger.warn("Node certificate for {} not renewed: {}. Asking again in {}s", nodeId, reason, RETRY.toSeconds());
    }

    /** Two thirds into the certificate's life: from then on heartbeats carry a CSR. */
    static Instant renewalTime(X509Certificate certificate) {
        return fractionOfLife(certificate, 2, 3);
    }

    /** Five sixths into the certificate's life: heartbeats did not renew it, the certificate endpoint does. */
    static Instant fallbackTime(X509Certificate certificate) {
        return fractionOfLife(certificate, 5, 6);
    }

    private static Instant fractionOfLife(X509Certificate certificate, int numerator, int denominator) {
        Instant from = certificate.getNotBefore().toInstant();
        Instant to = certificate.getNotAfter().toInstant();
        return from.plus(Duration.between(from, to).multipliedBy(numerator).dividedBy(denominator));
    }

    private void check(List<X509Certificate> chain, String nodeId) {
        X509Certificate leaf = chain.get(0);
        if (!leaf.getPublicKey().equals(keyPair().getPublic())) {
            throw new IllegalStateException("the coordinator answered a certificate for another key");
        }
        if (!nodeId.equals(subject(leaf))) {
            throw new IllegalStateException("the coordinator answered a certificate for " + subject(leaf));
        }
        if (chain.size() < 2) {
            throw new IllegalStateException("the coordinator's answer lacks the CA certificate");
        }
        X509Certificate ca = chain.get(chain.size() - 1);
        if (this.pinned != null && !this.pinned.matches(ca)) {
            throw new IllegalStateException(
                    "the coordinator's CA is " + CaFingerprint.of(ca) + ", not the pinned " + this.pinned);
        }
        try {
            leaf.verify(ca.getPublicKey());
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("the node certificate is not signed by the CA sent with it", ex);
        }
    }

    private void use(List<X509Certificate> chain) {
        this.clients.trust(chain.get(chain.size() - 1));
        this.keys.use(keyPair().getPrivate(), chain.toArray(X509Certificate[]::new));
    }

    /** The CSR for this node's key, PEM; the subject is only a hint (the coordinator sets {@code CN=<node id>}). */
    String csr(String nodeId) {
        KeyPair keyPair = keyPair();
        try {
            PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(
                            new X500Name(new LdapName(List.of(new Rdn("CN", nodeId))).toString()), keyPair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate()));
            StringWriter out = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                writer.writeObject(request);
            }
            return out.toString();
        } catch (OperatorCreationException | IOException | javax.naming.InvalidNameException ex) {
            throw new IllegalStateException("Cannot make a CSR: " + ex.getMessage(), ex);
        }
    }

    /** The node's key pair: the stored one, else a new one written with mode 0600. */
    private KeyPair keyPair() {
        KeyPair known = this.pair;
        if (known != null) {
            return known;
        }
        try {
            if (Files.isRegularFile(keyFile())) {
                this.pair = readKey(keyFile());
                return this.pair;
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair created = generator.generateKeyPair();
            StringWriter out = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                writer.writeObject(new JcaPKCS8Generator(created.getPrivate(), null));
                writer.writeObject(created.getPublic());
            }
            writeAtomically(keyFile(), out.toString());
            this.pair = created;
            return created;
        } catch (GeneralSecurityException | IOException ex) {
            throw new IllegalStateException("Cannot make the node key in " + keyFile() + ": " + ex.getMessage(), ex);
        }
    }

    /** Reads {@code node.key}: the private key (PKCS#8) and, after it, the public key. */
    private static KeyPair readKey(Path file) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file)))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (parser.readObject() instanceof PrivateKeyInfo privateKey
                    && parser.readObject() instanceof SubjectPublicKeyInfo publicKey) {
                return new KeyPair(converter.getPublicKey(publicKey), converter.getPrivateKey(privateKey));
            }
            throw new IOException("not a node key (BEGIN PRIVATE KEY, then BEGIN PUBLIC KEY)");
        }
    }

    static List<X509Certificate> readChain(String pem) {
        try {
            List<X509Certificate> chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .stream()
                    .map(X509Certificate.class::cast)
                    .toList();
            if (chain.isEmpty()) {
                throw new IllegalStateException("no certificate in the answer");
            }
            return chain;
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("not a PEM certificate chain: " + ex.getMessage(), ex);
        }
    }

    /** The common name of the certificate's subject (the node id for a node certificate). */
    static @Nullable String subject(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
            return null;
        } catch (javax.naming.InvalidNameException ex) {
            return null;
        }
    }

    private void writeAtomically(Path target, String content) {
        try {
            if (!Files.isDirectory(this.dir)) {
                Files.createDirectories(this.dir);
                try {
                    Files.setPosixFilePermissions(this.dir, PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system
                }
            }
            Path temporary = Files.createTempFile(this.dir, target.getFileName().toString(), ".tmp");
            try {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.writeString(temporary, content, StandardCharsets.US_ASCII);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException ex) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot write " + target + ": " + ex.getMessage(), ex);
        }
    }
}
