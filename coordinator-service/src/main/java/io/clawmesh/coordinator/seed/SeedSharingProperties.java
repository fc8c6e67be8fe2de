package io.clawmesh.coordinator.seed;

import io.clawmesh.common.seed.SeedPaths;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What of the OpenClaw config seed sync may share beyond the safe defaults ({@code mesh.seed.*}).
 *
 * @param shareSecretKeys exact dotted paths of secret-looking keys the operator chose to share, such as
 *     {@code models.providers.openai.apiKey} (array elements by index: {@code a.b.0.token}); a path under a node-local
 *     key ({@code gateway}, {@code channels}, …) is refused at start
 */
@ConfigurationProperties("mesh.seed")
public record SeedSharingProperties(@DefaultValue List<String> shareSecretKeys) {

    public SeedSharingProperties {
        shareSecretKeys = List.copyOf(shareSecretKeys);
        for (String path : shareSecretKeys) {
            if (path.isBlank() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
                throw new IllegalArgumentException("mesh.seed.share-secret-keys: '" + path
                        + "' is not a dotted path of config keys such as models.providers.openai.apiKey");
            }
            String top = path.split("\\.", 2)[0];
            if (SeedPaths.NODE_LOCAL_KEYS.contains(top)) {
                throw new IllegalArgumentException("mesh.seed.share-secret-keys: '" + path + "' is under '" + top
                        + "', which belongs to this machine and is never shared");
            }
        }
    }
}
