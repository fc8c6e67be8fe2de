package io.clawmesh.common.key;

/**
 * Answer to {@code POST /api/v1/keys}: the key and its secret, which is shown this once and stored only as a hash.
 *
 * @param secret the bearer token of the key, {@code cmk_} and 43 characters
 */
public record ClientKeyCreated(ClientKeyView key, String secret) {}
