package io.clawmesh.coordinator.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Audit trail settings ({@code mesh.audit.*}).
 *
 * @param retention how long entries are kept before they are deleted
 * @param retentionBatch how many entries one delete statement removes
 * @param retentionInterval how often entries past their retention are looked for
 */
@ConfigurationProperties("mesh.audit")
public record AuditProperties(
        @DefaultValue("90d") Duration retention,
        @DefaultValue("1000") int retentionBatch,
        @DefaultValue("1h") Duration retentionInterval) {}
