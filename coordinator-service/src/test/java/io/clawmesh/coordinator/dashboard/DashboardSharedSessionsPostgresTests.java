package io.clawmesh.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clawmesh.coordinator.CoordinatorApplication;
import io.clawmesh.coordinator.TestDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Two coordinator replicas on one PostgreSQL schema (the local server, a schema of its own dropped afterwards), each a
 * whole in-process Boot application on its own port: a dashboard session made through one is good on the other, a
 * logout or a session cap on one ends it on both, and neither keeps anything for an anonymous visitor or a forged
 * cookie.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardSharedSessionsPostgresTests {

    private static final String TOKEN = "shared-sessions-operator-token-3f9a";

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

    @TempDir
    static Path dataDir;

    private String schema;

    private JdbcTemplate admin;

    private ConfigurableApplicationContext replicaA;

    private ConfigurableApplicationContext replicaB;

    private int portA;

    private int portB;

    @BeforeAll
    void startTwoReplicas() {
        assumeTrue(TestDatabase.postgresListening(), TestDatabase.NO_POSTGRES);
        this.schema = "cm_sessions_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        this.admin = new JdbcTemplate(new DriverManagerDataSource(URL, "postgres", ""));
        this.admin.execute("CREATE SCHEMA " + this.schema);
        this.replicaA = replica("replica-a");
        this.replicaB = replica("replica-b");
        this.portA =
                ((WebServerApplicationContext) this.replicaA).getWebServer().getPort();
        this.portB =
                ((WebServerApplicationContext) this.replicaB).getWebServer().getPort();
    }

    @AfterAll
    void stopBoth() {
        if (this.replicaB != null) {
            this.replicaB.close();
        }
        if (this.replicaA != null) {
            this.replicaA.close();
        }
        if (this.schema != null) {
            this.admin.execute("DROP SCHEMA " + this.schema + " CASCADE");
        }
    }

    private ConfigurableApplicationContext replica(String id) {
        return new SpringApplicationBuilder(CoordinatorApplication.class)
                .run(
                        "--server.port=0",
                        "--server.address=127.0.0.1",
                        "--spring.datasource.url=" + URL + "?currentSchema=" + this.schema,
                        "--spring.datasource.username=postgres",
                        "--spring.datasource.password=",
                        "--spring.flyway.schemas=" + this.schema,
                        "--mesh.data-dir=" + dataDir.resolve(id),
                        "--mesh.replicas.id=" + id,
                        "--mesh.security.token=" + TOKEN,
                        "--mesh.dashboard.max-sessions-per-user=1",
                        "--server.servlet.session.timeout=20m",
                        "--mesh.health.probe-tick=1h",
                        "--mesh.health.sweep-interval=1h");
    }

    @Test
    void sessionMadeOnOneReplicaShouldBeGoodOnTheOtherAndALogoutThereShouldEndItOnBoth() throws Exception {
        DashboardBrowser onA = new DashboardBrowser(this.portA);
        DashboardBrowser onB = onA.at(this.portB);

        assertThat(onA.logIn("operator", TOKEN)).endsWith("/dashboard");

        assertThat(onB.get("/dashboard").statusCode()).as("logged in on B too").isEqualTo(200);
        assertThat(this.admin.queryForObject(
                        "SELECT PRINCIPAL_NAME FROM " + this.schema + ".SPRING_SESSION", String.class))
                .isEqualTo("operator");
        assertThat(this.admin.queryForObject(
                        "SELECT MAX_INACTIVE_INTERVAL FROM " + this.schema + ".SPRING_SESSION", Integer.class))
                .as("server.servlet.session.timeout, in seconds")
                .isEqualTo(20 * 60);
        assertThat(onB.post("/dashboard/logout", Map.of("_csrf", DashboardBrowser.csrf(onB.get("/dashboard"))))
                        .statusCode())
                .isEqualTo(302);
        assertThat(onA.get("/dashboard").statusCode())
                .as("logged out on B: A sends the browser to the login page")
                .isEqualTo(302);
        assertThat(sessions()).isZero();
    }

    @Test
    void loginOnOneReplicaPastTheUsersCapShouldEndTheSessionMadeOnTheOther() throws Exception {
        DashboardBrowser first = new DashboardBrowser(this.portA);
        first.logIn("operator", TOKEN);
        assertThat(first.get("/dashboard").statusCode()).isEqualTo(200);

        DashboardBrowser second = new DashboardBrowser(this.portB);
        second.logIn("operator", TOKEN);

        assertThat(second.get("/dashboard").statusCode()).isEqualTo(200);
        assertThat(first.get("/dashboard").statusCode())
                .as("the first session, made on A, was ended by the login on B (one session per user)")
                .isEqualTo(302);
        assertThat(first.at(this.portB).get("/dashboard").statusCode()).isEqualTo(302);
        assertThat(sessions()).isOne();
    }

    @Test
    void anonymousVisitorsAndForgedCookiesShouldLeaveNoSessionOnEitherReplica() throws Exception {
        int before = sessions();
        for (int i = 0; i < 20; i++) {
            DashboardBrowser visitor = new DashboardBrowser((i % 2 == 0) ? this.portA : this.portB);
            assertThat(visitor.get("/dashboard").statusCode()).isEqualTo(302);
            assertThat(visitor.get(DashboardPaths.LOGIN).statusCode()).isEqualTo(200);
        }
        String forged =
                Base64.getEncoder().encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        for (int port : new int[] {this.portA, this.portB}) {
            HttpResponse<String> response = new DashboardBrowser(port)
                    .client()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/dashboard"))
                                    .header("Cookie", "JSESSIONID=" + forged)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode())
                    .as("a session id nobody was given")
                    .isEqualTo(302);
            assertThat(response.headers().firstValue("Location"))
                    .hasValueSatisfying((location) -> assertThat(location).endsWith(DashboardPaths.LOGIN));
        }

        assertThat(sessions()).isEqualTo(before);
    }

    @Test
    void sessionCookieShouldKeepItsNameAndFlags() throws Exception {
        DashboardBrowser browser = new DashboardBrowser(this.portA);
        String csrf = DashboardBrowser.csrf(browser.get(DashboardPaths.LOGIN));

        HttpResponse<String> login =
                browser.post(DashboardPaths.LOGIN, Map.of("username", "operator", "password", TOKEN, "_csrf", csrf));

        assertThat(login.headers().allValues("Set-Cookie"))
                .filteredOn((cookie) -> cookie.startsWith("JSESSIONID="))
                .singleElement()
                .satisfies((cookie) -> assertThat(cookie).contains("HttpOnly", "SameSite=Strict"));
    }

    private int sessions() {
        Integer count =
                this.admin.queryForObject("SELECT COUNT(*) FROM " + this.schema + ".SPRING_SESSION", Integer.class);
        return (count != null) ? count : 0;
    }
}
