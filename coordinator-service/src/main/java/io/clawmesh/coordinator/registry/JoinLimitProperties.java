package io.clawmesh.coordinator.registry;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on registrations made with the join token ({@code mesh.registry.join-limits.*}), so that one leaked join token
 * cannot fill the registry with nodes that are then probed until eviction. Operator and node tokens are not limited.
 * The rates are token buckets: up to {@code burst} at once, refilled at {@code perMinute}. They are kept in memory, per
 * coordinator replica.
 *
 * @param perAddressBurst new nodes one source address may register at once
 * @param perAddressPerMinute new nodes one source address may register per minute after its burst
 * @param burst new nodes the join token may register at once, from all addresses together
 * @param perMinute new nodes the join token may register per minute after its burst
 * @param maxNodes the join token registers no new node while the mesh holds this many nodes (any status)
 */
@ConfigurationProperties("mesh.registry.join-limits")
public record JoinLimitProperties(
        @DefaultValue("200") int perAddressBurst,
        @DefaultValue("60") int perAddressPerMinute,
        @DefaultValue("1000") int burst,
        @DefaultValue("600") int perMinute,
        @DefaultValue("1000") int maxNodes) {}
