package io.clawmesh.common.node;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The cryptography both ends of a node token share. The coordinator stores only {@link #hash(String)} of a node
 * token; it proves itself to the agent with {@link #deliveryCredential(String, String)}, which the agent computes from
 * the token it holds. A copy of the coordinator's database therefore never yields a token the coordinator accepts.
 */
public final class NodeCredentials {

    private static final HexFormat HEX = HexFormat.of();

    private NodeCredentials() {}

    /** Hex SHA-256 of a token. Tokens carry 256 random bits, so no salt is needed. */
    public static String hash(String token) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is not available", ex);
        }
    }

    /** The bearer credential the coordinator presents to the agent of {@code nodeId}: HMAC-SHA256 keyed by the token hash. */
    public static String deliveryCredential(String tokenHash, String nodeId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(tokenHash.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "cmd_"
                    + HEX.formatHex(mac.doFinal(("claw-mesh-delivery:" + nodeId).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HmacSHA256 is not available", ex);
        }
    }

    /** Constant-time comparison of two secrets; {@code false} when either is missing. */
    public static boolean secretsEqual(@Nullable String expected, @Nullable String actual) {
        if (expected == null || actual == null) {
            return false;
        }
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
    }
}
