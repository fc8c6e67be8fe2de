package io.clawmesh.coordinator.registry;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Registry settings ({@code mesh.registry.*}).
 *
 * @param defaultCapacity concurrent messages assumed for a node that does not say
 * @param maxCapacity the largest capacity a node may declare
 * @param cacheRefresh how often the in-memory view re-reads nodes changed in the database (by other replicas)
 * @param fullRefresh how often the whole view is re-read, which also drops nodes removed by other replicas
 */
@ConfigurationProperties("mesh.registry")
public record RegistryProperties(
        @DefaultValue("4") int defaultCapacity,
        @DefaultValue("10000") int maxCapacity,
        @DefaultValue("1s") Duration cacheRefresh,
        @DefaultValue("30s") Duration fullRefresh) {}
