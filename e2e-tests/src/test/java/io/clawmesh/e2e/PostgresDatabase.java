package io.clawmesh.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A PostgreSQL database created for one test run and dropped afterwards: on the local server at 127.0.0.1:5432 (user
 * postgres, trust auth, as on the CI machine), else in a Testcontainers PostgreSQL where a Docker engine runs.
 * {@link #open()} answers null, and {@link #UNAVAILABLE} says why, when neither is there.
 */
final class PostgresDatabase implements AutoCloseable {

    static final String UNAVAILABLE = "no PostgreSQL: nothing listens on 127.0.0.1:5432 (user postgres, trust auth) "
            + "and no Docker engine runs for Testcontainers; the same steps run on H2 in MeshEndToEndTests";

    private static final String LOCAL_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    private final String url;

    private final String username;

    private final String password;

    private final Runnable drop;

    private PostgresDatabase(String url, String username, String password, Runnable drop) {
        this.url = url;
        this.username = username;
        this.password = password;
        this.drop = drop;
    }

    /** A fresh database, or null when there is no PostgreSQL to create one in. */
    static @Nullable PostgresDatabase open() throws SQLException {
        if (localServerListening()) {
            String name = "cm_e2e_"
                    + UUID.randomUUID()
                            .toString()
                            .replace("-", "")
                            .substring(0, 16)
                            .toLowerCase(Locale.ROOT);
            execute(LOCAL_ADMIN_URL, "postgres", "", "CREATE DATABASE " + name);
            return new PostgresDatabase(
                    "jdbc:postgresql://127.0.0.1:5432/" + name,
                    "postgres",
                    "",
                    () -> execute(
                            LOCAL_ADMIN_URL, "postgres", "", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
        }
        if (DockerClientFactory.instance().isDockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
            container.start();
            return new PostgresDatabase(
                    container.getJdbcUrl(), container.getUsername(), container.getPassword(), container::stop);
        }
        return null;
    }

    /** The coordinator's arguments for this database. */
    List<String> coordinatorArguments() {
        return List.of(
                "--spring.datasource.url=" + this.url,
                "--spring.datasource.username=" + this.username,
                "--spring.datasource.password=" + this.password);
    }

    /** The server's address, as the JDBC URL names it. */
    InetSocketAddress address() {
        URI uri = URI.create(this.url.substring("jdbc:".length()));
        return new InetSocketAddress(uri.getHost(), uri.getPort());
    }

    /**
     * The coordinator's arguments for this database reached through {@code host:port} instead (a forwarder in front of
     * the server, for a coordinator in a network namespace).
     */
    List<String> coordinatorArgumentsVia(String host, int port) {
        InetSocketAddress server = address();
        String via = this.url.replace(
                "//" + server.getHostString() + ":" + server.getPort() + "/", "//" + host + ":" + port + "/");
        return List.of(
                "--spring.datasource.url=" + via,
                "--spring.datasource.username=" + this.username,
                "--spring.datasource.password=" + this.password);
    }

    String url() {
        return this.url;
    }

    String username() {
        return this.username;
    }

    String password() {
        return this.password;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(this.url, this.username, this.password);
    }

    @Override
    public void close() {
        this.drop.run();
    }

    private static boolean localServerListening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 5432), 500);
            return true;
        } catch (IOException ex) {
            return false;
        }
    }

    private static void execute(String url, String user, String password, String sql) {
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException ex) {
            throw new IllegalStateException("PostgreSQL refused '" + sql + "': " + ex.getMessage(), ex);
        }
    }
}
