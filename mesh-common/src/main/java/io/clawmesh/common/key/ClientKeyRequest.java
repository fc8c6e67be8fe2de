package io.clawmesh.common.key;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /api/v1/keys}.
 *
 * @param name unique name of the key, a DNS label like a node name ({@code chat-ui}, {@code laptop-assistant})
 * @param models the models the key may use ({@code mesh/auto}, {@code mesh/node/*}); absent or empty for all
 * @param ratePerMinute how many requests a minute the key may make; absent for no limit
 */
public record ClientKeyRequest(
        @Nullable String name,
        @Nullable List<String> models,
        @JsonProperty("rate_per_minute") @Nullable Integer ratePerMinute) {}
