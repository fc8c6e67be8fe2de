package io.clawmesh.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Password guessing on the dashboard login over real HTTP: past the free failures the login is paused, the right
 * token included, and the page says so. A class of its own, because the lockout it causes would lock the other
 * dashboard tests out too (they all come from 127.0.0.1).
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "mesh.security.token=" + DashboardLoginThrottleIntegrationTests.TOKEN,
            "mesh.health.probe-tick=1h",
            "mesh.health.sweep-interval=1h"
        })
@DirtiesContext(classMode = ClassMode.AFTER_CLASS)
class DashboardLoginThrottleIntegrationTests {

    static final String TOKEN = "throttle-operator-token-5c1f0a";

    @TempDir
    static Path dataDir;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void meshDataDir(DynamicPropertyRegistry properties) {
        properties.add("mesh.data-dir", () -> dataDir.toString());
    }

    @Test
    void guessingShouldPauseLoginsEvenForTheRightTokenAndSaySo() throws Exception {
        DashboardBrowser guesser = new DashboardBrowser(this.port);
        for (int i = 0; i <= LoginThrottle.FREE_FAILURES_PER_ADDRESS; i++) {
            assertThat(guesser.logIn("operator", "guess-" + i)).endsWith(DashboardPaths.LOGIN + "?error");
        }

        DashboardBrowser operator = new DashboardBrowser(this.port);
        assertThat(operator.logIn("operator", TOKEN)).endsWith(DashboardPaths.LOGIN + "?locked");
        assertThat(operator.get(DashboardPaths.ROOT).statusCode())
                .as("not logged in")
                .isEqualTo(302);
        assertThat(operator.get(DashboardPaths.LOGIN + "?locked").body())
                .contains("id=\"login-locked\"", "Too many failed logins")
                .doesNotContain(TOKEN);
    }
}
