package io.clawmesh.agent.tls;

import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A mesh CA for tests, made with BouncyCastle the way the coordinator's {@code CertificateAuthority} does: node
 * certificates (server authentication only, {@code CN=<node id>}, the address as name) signed from a node's CSR, and
 * the coordinator's certificate (server and client authentication).
 */
public final class TestMeshCa {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair pair = newKeyPair();

    private final X509Certificate certificate;

    public TestMeshCa(String name) {
        this.certificate = build(
                new X500Name("CN=" + name),
                this.pair,
                this.pair.getPublic(),
                Instant.now(),
                Duration.ofDays(3650),
                null,
                null);
    }

    public X509Certificate certificate() {
        return this.certificate;
    }

    /** Signs a node CSR as the coordinator does: CN=node id, name 127.0.0.1, server authentication only. */
    public String signNode(String nodeId, String csrPem, Instant notBefore, Duration lifetime) {
        try (PEMParser parser = new PEMParser(new StringReader(csrPem))) {
            PKCS10CertificationRequest request = (PKCS10CertificationRequest) parser.readObject();
            X509Certificate node = build(
                    new X500Name("CN=" + nodeId),
                    this.pair,
                    new JcaPKCS10CertificationRequest(request).getPublicKey(),
                    notBefore,
                    lifetime,
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth},
                    "127.0.0.1");
            return pem(node) + pem(this.certificate);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A client TLS context presenting a certificate of this CA with these purposes, trusting this CA. */
    public SSLContext client(KeyPurposeId... purposes) {
        return clientTrusting(this.certificate, purposes);
    }

    /** A client TLS context presenting a certificate of this CA with these purposes, trusting {@code serverCa}. */
    public SSLContext clientTrusting(X509Certificate serverCa, KeyPurposeId... purposes) {
        KeyPair client = newKeyPair();
        X509Certificate issued = build(
                new X500Name("CN=claw-mesh coordinator"),
                this.pair,
                client.getPublic(),
                Instant.now(),
                Duration.ofDays(1),
                purposes,
                "127.0.0.1");
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry(
                    "client", client.getPrivate(), new char[0], new X509Certificate[] {issued, this.certificate});
            KeyManagerFactory keyFactory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyFactory.init(keys, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyFactory.getKeyManagers(), trust(serverCa).getTrustManagers(), null);
            return context;
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A client TLS context without a certificate of its own, trusting this CA. */
    public SSLContext anonymousClient() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust(this.certificate).getTrustManagers(), null);
            return context;
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static TrustManagerFactory trust(X509Certificate ca) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", ca);
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(store);
        return factory;
    }

    private X509Certificate build(
            X500Name subject,
            KeyPair issuer,
            java.security.PublicKey key,
            Instant notBefore,
            Duration lifetime,
            KeyPurposeId[] purposes,
            String address) {
        try {
            boolean ca = purposes == null;
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            ca
                                    ? subject
                                    : new X500Name(this.certificate
                                            .getSubjectX500Principal()
                                            .getName()),
                            new BigInteger(127, RANDOM).add(BigInteger.ONE),
                            Date.from(notBefore.minus(Duration.ofMinutes(5))),
                            Date.from(notBefore.plus(lifetime)),
                            subject,
                            key)
                    .addExtension(
                            Extension.basicConstraints,
                            true,
                            ca ? new BasicConstraints(0) : new BasicConstraints(false))
                    .addExtension(
                            Extension.keyUsage,
                            true,
                            ca
                                    ? new KeyUsage(KeyUsage.keyCertSign)
                                    : new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            if (!ca) {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes))
                        .addExtension(
                                Extension.subjectAlternativeName,
                                false,
                                new GeneralNames(new GeneralName(GeneralName.iPAddress, address)));
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(
                            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
        return out.toString();
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
