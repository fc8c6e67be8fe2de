package io.clawmesh.coordinator.replicas;

import io.clawmesh.coordinator.DataDirectory;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Wires this replica's identity and ShedLock's JDBC lock provider on the coordinator's own database. The lock's time
 * is the database's, so replicas with skewed clocks agree on when a lease ends.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReplicaProperties.class)
class ReplicaConfiguration {

    @Bean
    ReplicaIdentity replicaIdentity(ReplicaProperties properties, DataDirectory dataDirectory) {
        return ReplicaIdentity.resolve(properties, dataDirectory);
    }

    @Bean
    LockProvider lockProvider(DataSource dataSource, ReplicaIdentity identity) {
        return new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(new JdbcTemplate(dataSource))
                .withTableName("shedlock")
                .withLockedByValue(identity.id())
                .usingDbTime()
                .build());
    }
}
