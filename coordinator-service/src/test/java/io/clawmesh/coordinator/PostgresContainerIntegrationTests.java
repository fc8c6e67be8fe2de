package io.clawmesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The whole coordinator on a Testcontainers PostgreSQL wired by {@code @ServiceConnection}: Flyway migrates it and the
 * repositories use it. Runs where a Docker engine runs; skipped (with Testcontainers' reason) elsewhere, where the
 * repository tests and PostgresEndToEndTests use the local server instead.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "mesh.security.token=container-test-token",
            "mesh.health.probe-tick=1h",
            "mesh.health.sweep-interval=1h"
        })
@Testcontainers(disabledWithoutDocker = true)
class PostgresContainerIntegrationTests {

    @Container
    @ServiceConnection
    static PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:16-alpine");

    @Autowired
    private JdbcClient jdbc;

    @Test
    void startShouldMigrateThePostgresDatabaseAndUseIt() {
        String product = this.jdbc.sql("SELECT version()").query(String.class).single();
        Integer tables = this.jdbc
                .sql("SELECT count(*) FROM information_schema.tables WHERE table_name IN "
                        + "('nodes', 'routing_rules', 'message_log')")
                .query(Integer.class)
                .single();

        assertThat(product).startsWith("PostgreSQL");
        assertThat(tables).isEqualTo(3);
    }
}
