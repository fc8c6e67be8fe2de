package io.clawmesh.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Behind a proxy the operator listed ({@code mesh.dashboard.trusted-proxies}, here loopback, over real HTTP): a
 * guesser behind it locks out only itself, not every user of the proxy; and the session caps hold, counted by Tomcat.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "mesh.security.token=" + DashboardTrustedProxyIntegrationTests.TOKEN,
            "mesh.dashboard.trusted-proxies=127.0.0.1",
            "mesh.dashboard.max-sessions=3",
            "mesh.dashboard.max-sessions-per-user=2",
            "mesh.dashboard.users.alice={noop}alice-passphrase",
            "mesh.health.probe-tick=1h",
            "mesh.health.sweep-interval=1h"
        })
@DirtiesContext(classMode = ClassMode.AFTER_CLASS)
class DashboardTrustedProxyIntegrationTests {

    static final String TOKEN = "proxy-operator-token-4e8b0d";

    @TempDir
    static Path dataDir;

    @LocalServerPort
    int port;

    @Autowired
    WebServerApplicationContext context;

    @DynamicPropertySource
    static void meshDataDir(DynamicPropertyRegistry properties) {
        properties.add("mesh.data-dir", () -> dataDir.toString());
    }

    @Test
    void guesserBehindATrustedProxyShouldNotLockOutTheOtherUsersOfThatProxy() throws Exception {
        DashboardBrowser guesser = new DashboardBrowser(this.port);
        for (int i = 0; i <= LoginThrottle.FREE_FAILURES_PER_ADDRESS; i++) {
            DashboardForwardedForIntegrationTests.logIn(guesser, "operator", "guess-" + i, "203.0.113.9");
        }
        assertThat(DashboardForwardedForIntegrationTests.logIn(guesser, "operator", TOKEN, "203.0.113.9"))
                .endsWith(DashboardPaths.LOGIN + "?locked");

        DashboardBrowser user = new DashboardBrowser(this.port);
        assertThat(DashboardForwardedForIntegrationTests.logIn(user, "operator", TOKEN, "198.51.100.7"))
                .endsWith(DashboardPaths.ROOT);
    }

    @Test
    void loginsPastTheSessionCapsShouldEndTheLeastRecentlyUsedSessions() throws Exception {
        DashboardBrowser[] browsers = new DashboardBrowser[4];
        for (int i = 0; i < browsers.length; i++) {
            browsers[i] = new DashboardBrowser(this.port);
            assertThat(DashboardForwardedForIntegrationTests.logIn(
                            browsers[i], "operator", TOKEN, "198.51.100." + (20 + i)))
                    .endsWith(DashboardPaths.ROOT);
            assertThat(ContainerSessions.active(this.context)).isLessThanOrEqualTo(2);
        }

        assertThat(browsers[0].get(DashboardPaths.ROOT).statusCode())
                .as("the oldest session ended")
                .isEqualTo(302);
        assertThat(browsers[1].get(DashboardPaths.ROOT).statusCode()).isEqualTo(302);
        assertThat(browsers[2].get(DashboardPaths.ROOT).statusCode()).isEqualTo(200);
        assertThat(browsers[3].get(DashboardPaths.ROOT).statusCode()).isEqualTo(200);

        DashboardBrowser[] alice = {new DashboardBrowser(this.port), new DashboardBrowser(this.port)};
        for (DashboardBrowser browser : alice) {
            assertThat(DashboardForwardedForIntegrationTests.logIn(
                            browser, "alice", "alice-passphrase", "198.51.100.30"))
                    .endsWith(DashboardPaths.ROOT);
            assertThat(ContainerSessions.active(this.context)).isLessThanOrEqualTo(3);
        }
        assertThat(browsers[2].get(DashboardPaths.ROOT).statusCode())
                .as("the least recently used session of anyone ended for the global cap")
                .isEqualTo(302);
        assertThat(browsers[3].get(DashboardPaths.ROOT).statusCode()).isEqualTo(200);
        assertThat(alice[0].get(DashboardPaths.ROOT).statusCode()).isEqualTo(200);
        assertThat(alice[1].get(DashboardPaths.ROOT).statusCode()).isEqualTo(200);
    }
}
