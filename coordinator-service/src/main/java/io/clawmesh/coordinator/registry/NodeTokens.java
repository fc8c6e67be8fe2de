package io.clawmesh.coordinator.registry;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Issues node ids and node tokens. Tokens carry 256 random bits and are shown once, at registration. */
public final class NodeTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private NodeTokens() {}

    /** A new node token, {@code cmn_} followed by 43 URL-safe Base64 characters. */
    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "cmn_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A new node id, {@code node-} followed by 16 hex digits. */
    public static String newNodeId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "node-" + HexFormat.of().formatHex(bytes);
    }

    /** Whether an id has the shape this coordinator issues, so an agent may ask for it back. */
    public static boolean isNodeId(String value) {
        return value.length() == 21
                && value.startsWith("node-")
                && value.substring(5).chars().allMatch((c) -> Character.digit(c, 16) >= 0 && !Character.isUpperCase(c));
    }
}
