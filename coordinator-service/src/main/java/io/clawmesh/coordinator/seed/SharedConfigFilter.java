package io.clawmesh.coordinator.seed;

import io.clawmesh.common.seed.SeedPaths;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decides which parts of the coordinator's OpenClaw config seed sync hands to nodes: only the top-level sections known
 * to hold agent setup ({@link #SHARED_KEYS}), and inside them nothing whose key looks like a secret, at any depth,
 * unless the operator opted in that exact dotted path ({@code mesh.seed.share-secret-keys}).
 */
public final class SharedConfigFilter {

    /**
     * The top-level OpenClaw sections that describe how the agent works rather than this machine or its credentials.
     * Everything else (node-local {@code gateway}, {@code channels}, {@code bindings}, {@code meta}, {@code wizard};
     * and {@code env}, {@code auth}, {@code hooks}, {@code logging}, {@code discovery}, {@code update}, {@code ui},
     * {@code browser}, unknown sections) stays on the coordinator.
     */
    public static final List<String> SHARED_KEYS = List.of(
            "agents", "models", "tools", "skills", "memory", "messages", "commands", "session", "plugins", "cron");

    private static final Set<String> SECRET_WORDS = Set.of(
            "apikey",
            "token",
            "secret",
            "password",
            "passwd",
            "credential",
            "authorization",
            "cookie",
            "privatekey",
            "accesskey",
            "signingkey");

    /** Names that are a secret only as a whole: {@code monkey} or {@code mainKey} is no key. */
    private static final Set<String> SECRET_NAMES = Set.of("env", "key", "bearer");

    private final Set<String> secretOptIns;

    public SharedConfigFilter(SeedSharingProperties properties) {
        this.secretOptIns = Set.copyOf(properties.shareSecretKeys());
    }

    /** A new object with only what may leave; {@code config} is not changed. */
    public ObjectNode filter(ObjectNode config) {
        ObjectNode shared = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> entry : config.properties()) {
            String key = entry.getKey();
            if (SeedPaths.NODE_LOCAL_KEYS.contains(key)) {
                continue;
            }
            JsonNode kept = child(key, entry.getValue(), key, !SHARED_KEYS.contains(key));
            if (kept != null) {
                shared.set(key, kept);
            }
        }
        return shared;
    }

    /**
     * Whether a key looks like it holds a secret: {@code env}, {@code key} or {@code bearer}, or a name
     * with {@code apiKey}, {@code token}, {@code secret}, {@code password}, {@code passwd}, {@code credential},
     * {@code authorization}, {@code cookie}, {@code privateKey}, {@code accessKey} or {@code signingKey} in it (any
     * case, {@code _} and {@code -} ignored; a provider's {@code Authorization} header is a bearer token). A number
     * under a plural {@code …Tokens} key ({@code maxTokens}, {@code contextTokens}) is a count, not a credential.
     */
    public static boolean isSecretLooking(String key, JsonNode value) {
        String name = key.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
        if (SECRET_NAMES.contains(name)) {
            return true;
        }
        if (name.endsWith("tokens") && value.isNumber()) {
            return false;
        }
        return SECRET_WORDS.stream().anyMatch(name::contains);
    }

    private @Nullable JsonNode child(String key, JsonNode value, String path, boolean withheld) {
        if (this.secretOptIns.contains(path)) {
            return value.deepCopy();
        }
        boolean secret = withheld || isSecretLooking(key, value);
        if (secret && !hasOptInBelow(path)) {
            return null;
        }
        return copy(value, path, secret);
    }

    private @Nullable JsonNode copy(JsonNode value, String path, boolean withheld) {
        if (value instanceof ObjectNode object) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> entry : object.properties()) {
                JsonNode kept = child(entry.getKey(), entry.getValue(), path + "." + entry.getKey(), withheld);
                if (kept != null) {
                    copy.set(entry.getKey(), kept);
                }
            }
            return (withheld && copy.isEmpty()) ? null : copy;
        }
        if (value instanceof ArrayNode array) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < array.size(); i++) {
                // an element has no key of its own: it inherits whether its array is withheld
                JsonNode kept = child("", array.get(i), path + "." + i, withheld);
                if (kept != null) {
                    copy.add(kept);
                }
            }
            return (withheld && copy.isEmpty()) ? null : copy;
        }
        return withheld ? null : value.deepCopy();
    }

    private boolean hasOptInBelow(String path) {
        String prefix = path + ".";
        return this.secretOptIns.stream().anyMatch((optIn) -> optIn.startsWith(prefix));
    }
}
