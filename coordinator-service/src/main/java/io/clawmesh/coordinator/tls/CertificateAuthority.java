package io.clawmesh.coordinator.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
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
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The mesh's own certificate authority: an EC P-256 key and a self-signed CA certificate, and the certificates it
 * issues (the coordinator's server and client certificates, node certificates from CSRs); or the operator's own CA
 * (EC or RSA key, {@link OperatorCa}) issuing the same. BouncyCastle's PKIX builders
 * write every structure; nothing here encodes ASN.1 by hand.
 *
 * @param certificate the CA certificate
 * @param key the CA's private key
 */
public record CertificateAuthority(X509Certificate certificate, PrivateKey key) {

    /** How far before its issue a certificate is valid from, for clocks a little behind ours. */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new CA valid from {@code now} for {@code lifetime}. */
    public static CertificateAuthority create(String name, Instant now, Duration lifetime) {
        KeyPair pair = newKeyPair();
        X500Name subject = new X500Name("CN=" + name);
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            subject,
                            serial(),
                            Date.from(now.minus(BACKDATE)),
                            Date.from(now.plus(lifetime)),
                            subject,
                            pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(
                            Extension.subjectKeyIdentifier,
                            false,
                            extensions.createSubjectKeyIdentifier(pair.getPublic()));
            return new CertificateAuthority(sign(builder, pair.getPrivate()), pair.getPrivate());
        } catch (GeneralSecurityException | java.io.IOException ex) {
            throw new IllegalStateException("Cannot create the mesh CA: " + ex.getMessage(), ex);
        }
    }

    /** A new key pair for a certificate this CA issues. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("The JDK cannot make EC P-256 keys: " + ex.getMessage(), ex);
        }
    }

    /**
     * A TLS server certificate for these host names and IP addresses, which also serves as the coordinator's client
     * certificate towards agents (both extended key usages).
     */
    public X509Certificate issueServer(
            PublicKey key, String commonName, List<String> names, Instant now, Duration lifetime) {
        GeneralName[] alternatives =
                names.stream().map(CertificateAuthority::generalName).toArray(GeneralName[]::new);
        return issue(key, commonName, now, lifetime, new GeneralNames(alternatives), new KeyPurposeId[] {
            KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
        });
    }

    /**
     * A node's TLS server certificate: its subject is the node id (whatever the CSR asked for) and its names the
     * node's endpoint host, if it has one.
     */
    public X509Certificate issueNode(PublicKey key, String nodeId, List<String> names, Instant now, Duration lifetime) {
        GeneralName[] alternatives =
                names.stream().map(CertificateAuthority::generalName).toArray(GeneralName[]::new);
        return issue(key, nodeId, now, lifetime, new GeneralNames(alternatives), new KeyPurposeId[] {
            KeyPurposeId.id_kp_serverAuth
        });
    }

    /**
     * The coordinator's TLS client certificate towards agents (client authentication only, no names), for an
     * operator's CA, whose own server certificate the coordinator cannot rely on to carry that purpose.
     */
    public X509Certificate issueClient(PublicKey key, String commonName, Instant now, Duration lifetime) {
        return issue(key, commonName, now, lifetime, new GeneralNames(new GeneralName[0]), new KeyPurposeId[] {
            KeyPurposeId.id_kp_clientAuth
        });
    }

    private X509Certificate issue(
            PublicKey key,
            String commonName,
            Instant now,
            Duration lifetime,
            GeneralNames alternatives,
            KeyPurposeId[] purposes) {
        Instant notAfter = now.plus(lifetime);
        if (notAfter.isAfter(this.certificate.getNotAfter().toInstant())) {
            notAfter = this.certificate.getNotAfter().toInstant();
        }
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            this.certificate,
                            serial(),
                            Date.from(now.minus(backdate(lifetime))),
                            Date.from(notAfter),
                            new X500Name("CN=" + commonName),
                            key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(
                            Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
            if (alternatives.getNames().length > 0) {
                // RFC 5280: no empty extension (a client certificate, an outbound node's)
                builder.addExtension(Extension.subjectAlternativeName, false, alternatives);
            }
            builder.addExtension(
                            Extension.authorityKeyIdentifier,
                            false,
                            extensions.createAuthorityKeyIdentifier(this.certificate))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(key));
            return sign(builder, this.key);
        } catch (GeneralSecurityException | java.io.IOException ex) {
            throw new IllegalStateException(
                    "Cannot issue a certificate for " + commonName + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * {@link #BACKDATE}, but at most a tenth of a short lifetime: holders renew at a fraction of the whole validity,
     * which five minutes of backdating would otherwise use up for a certificate of a few seconds.
     */
    static Duration backdate(Duration lifetime) {
        Duration tenth = lifetime.dividedBy(10);
        return (tenth.compareTo(BACKDATE) < 0) ? tenth : BACKDATE;
    }

    /** Whether certificates can be signed with this key: EC (the mesh CA's) or RSA (an operator's CA, too). */
    static boolean signs(PrivateKey key) {
        String algorithm = key.getAlgorithm();
        return algorithm.equals("EC") || algorithm.equals("ECDSA") || algorithm.equals("RSA");
    }

    /** The signature algorithm for certificates signed with this key (SHA-256, with ECDSA or RSA). */
    static String signatureAlgorithm(PrivateKey key) {
        return key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(signatureAlgorithm(key)).build(key)));
        } catch (OperatorCreationException ex) {
            throw new GeneralSecurityException(ex.getMessage(), ex);
        }
    }

    private static GeneralName generalName(String name) {
        return isAddress(name)
                ? new GeneralName(GeneralName.iPAddress, name)
                : new GeneralName(GeneralName.dNSName, name);
    }

    /** An IP literal (never looked up: a host name stays a DNS name). */
    static boolean isAddress(String name) {
        return name.contains(":") || name.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }
}
