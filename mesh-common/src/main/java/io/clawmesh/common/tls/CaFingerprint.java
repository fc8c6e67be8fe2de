package io.clawmesh.common.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The SHA-256 of a CA certificate's DER encoding, written {@code sha256:} and 64 lower-case hex digits: what
 * {@code claw-mesh up --tls} prints and {@code join --ca-fingerprint} pins.
 *
 * @param hex the 64 hex digits, lower case
 */
public record CaFingerprint(String hex) {

    private static final String PREFIX = "sha256:";

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public CaFingerprint {
        if (!HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("a CA fingerprint has 64 hex digits, not '" + hex + "'");
        }
    }

    /**
     * Reads {@code sha256:<64 hex>}; upper case and the colons of {@code openssl x509 -fingerprint} are accepted.
     *
     * @throws IllegalArgumentException naming the expected form
     */
    public static CaFingerprint parse(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (!value.startsWith(PREFIX)) {
            throw new IllegalArgumentException(
                    "a CA fingerprint looks like sha256: and 64 hex digits, not '" + text.strip() + "'");
        }
        String hex = value.substring(PREFIX.length()).replace(":", "");
        if (!HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException(
                    "a CA fingerprint looks like sha256: and 64 hex digits, not '" + text.strip() + "'");
        }
        return new CaFingerprint(hex);
    }

    /** The fingerprint of a certificate. */
    public static CaFingerprint of(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return new CaFingerprint(HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException | CertificateEncodingException ex) {
            throw new IllegalStateException("Cannot fingerprint " + certificate.getSubjectX500Principal(), ex);
        }
    }

    /** Whether this is the fingerprint of the certificate. */
    public boolean matches(X509Certificate certificate) {
        return MessageDigest.isEqual(
                of(certificate).hex().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                this.hex.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return PREFIX + this.hex;
    }
}
