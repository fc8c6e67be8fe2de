package io.clawmesh.coordinator;

import io.clawmesh.coordinator.messages.MessageLogHistoryMigration;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import tools.jackson.databind.json.JsonMapper;

/**
 * A fresh database with the coordinator's Flyway migrations applied: an in-memory H2 database, or a new schema in
 * PostgreSQL: the local server ({@code 127.0.0.1:5432}, user {@code postgres}, database {@code test}) when it
 * answers, else one Testcontainers PostgreSQL shared by the test run where a Docker engine runs. Closing it drops it.
 */
public final class TestDatabase implements AutoCloseable {

    /** Why PostgreSQL tests are skipped when no server is there. */
    public static final String NO_POSTGRES = "no PostgreSQL listens on 127.0.0.1:5432 (trust auth, user postgres, "
            + "database test) and no Docker engine runs for Testcontainers; the same cases run on H2";

    private static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    /** The container used when no local server answers; started once, stopped by Testcontainers at JVM exit. */
    private static volatile @Nullable PostgreSQLContainer container;

    private final DataSource dataSource;

    private final Runnable drop;

    private final FluentConfiguration flyway;

    private TestDatabase(DataSource dataSource, Runnable drop, FluentConfiguration flyway) {
        this.dataSource = dataSource;
        this.drop = drop;
        this.flyway = flyway;
    }

    /** A new in-memory H2 database of its own. */
    public static TestDatabase h2() {
        return h2(null);
    }

    /** A new in-memory H2 database of its own, migrated up to {@code target} only (all when {@code null}). */
    public static TestDatabase h2(@Nullable String target) {
        String url = "jdbc:h2:mem:cm_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
        DriverManagerDataSource dataSource = new DriverManagerDataSource(url, "sa", "");
        FluentConfiguration flyway = Flyway.configure().dataSource(dataSource);
        migrate(flyway, target);
        return new TestDatabase(dataSource, () -> new JdbcTemplate(dataSource).execute("SHUTDOWN"), flyway);
    }

    /** A new schema of its own in PostgreSQL; check {@link #postgresAvailable()} first. */
    public static TestDatabase postgres() {
        return postgres(null);
    }

    /**
     * A new schema of its own in PostgreSQL, migrated up to {@code target} only (all when {@code null}); check
     * {@link #postgresAvailable()} first.
     */
    public static TestDatabase postgres(@Nullable String target) {
        String schema = "cm_test_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        String url = POSTGRES_URL;
        String user = "postgres";
        String password = "";
        if (!postgresListening()) {
            PostgreSQLContainer running = container();
            url = running.getJdbcUrl();
            user = running.getUsername();
            password = running.getPassword();
        }
        JdbcTemplate admin = new JdbcTemplate(new DriverManagerDataSource(url, user, password));
        admin.execute("CREATE SCHEMA " + schema);
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, user, password);
        Runnable drop = () -> admin.execute("DROP SCHEMA " + schema + " CASCADE");
        FluentConfiguration flyway = Flyway.configure().dataSource(dataSource).schemas(schema);
        try {
            migrate(flyway, target);
        } catch (RuntimeException ex) {
            drop.run();
            throw ex;
        }
        return new TestDatabase(dataSource, drop, flyway);
    }

    /** Whether the PostgreSQL tests can run: a local server, or Docker for a Testcontainers one. */
    public static boolean postgresAvailable() {
        return postgresListening() || DockerClientFactory.instance().isDockerAvailable();
    }

    private static synchronized PostgreSQLContainer container() {
        if (container == null) {
            PostgreSQLContainer started = new PostgreSQLContainer("postgres:16-alpine");
            started.start();
            container = started;
        }
        return container;
    }

    /** Whether something accepts connections on the PostgreSQL port. */
    public static boolean postgresListening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 5432), 500);
            return true;
        } catch (IOException ex) {
            return false;
        }
    }

    private static void migrate(FluentConfiguration configuration, @Nullable String target) {
        // the Java migration is a bean in the coordinator; Flyway finds only the SQL ones by location
        configuration.locations("classpath:db/migration").javaMigrations(new MessageLogHistoryMigration());
        new FluentConfiguration()
                .configuration(configuration)
                .target((target != null) ? target : "latest")
                .load()
                .migrate();
    }

    /** Applies the migrations not applied yet, as a newer coordinator's start does. */
    public void migrateToLatest() {
        migrate(this.flyway, null);
    }

    public DataSource dataSource() {
        return this.dataSource;
    }

    public JdbcClient jdbcClient() {
        return JdbcClient.create(this.dataSource);
    }

    public JdbcTemplate jdbcTemplate() {
        return new JdbcTemplate(this.dataSource);
    }

    /** The mapper the repositories get in production: Jackson 3 with its defaults. */
    public static JsonMapper jsonMapper() {
        return JsonMapper.builder().build();
    }

    @Override
    public void close() {
        this.drop.run();
    }
}
