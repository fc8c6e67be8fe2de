package io.clawmesh.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * Issue 12 item 5 replayed over real HTTP: a client that is no trusted proxy sends its own {@code X-Forwarded-For}
 * to get a fresh throttle bucket for every guess. Tomcat's forwarded-header handling is on, as the docs used to
 * advise behind a proxy; it trusts loopback, so only the dashboard's own list of proxies (empty here) stands between
 * the header and the throttle.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "server.forward-headers-strategy=native",
            "mesh.security.token=" + DashboardForwardedForIntegrationTests.TOKEN,
            "mesh.health.probe-tick=1h",
            "mesh.health.sweep-interval=1h"
        })
@DirtiesContext(classMode = ClassMode.AFTER_CLASS)
class DashboardForwardedForIntegrationTests {

    static final String TOKEN = "forwarded-operator-token-1a9c3e";

    @TempDir
    static Path dataDir;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void meshDataDir(DynamicPropertyRegistry properties) {
        properties.add("mesh.data-dir", () -> dataDir.toString());
    }

    @Test
    void forwardedForFromAnUntrustedClientShouldNotChangeTheThrottleBucket() throws Exception {
        for (int i = 0; i <= LoginThrottle.FREE_FAILURES_PER_ADDRESS; i++) {
            assertThat(logIn("guess-" + i, "203.0.113." + (i + 1))).endsWith(DashboardPaths.LOGIN + "?error");
        }

        assertThat(logIn(TOKEN, "198.51.100.77"))
                .as("the right token from a new forwarded address is still locked out")
                .endsWith(DashboardPaths.LOGIN + "?locked");
    }

    static String logIn(DashboardBrowser browser, String user, String password, String forwardedFor) throws Exception {
        String csrf = DashboardBrowser.csrf(browser.get(DashboardPaths.LOGIN));
        String form = "username=" + user + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                + "&_csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8);
        HttpResponse<String> response = browser.client()
                .send(
                        HttpRequest.newBuilder(browser.uri(DashboardPaths.LOGIN))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .header("X-Forwarded-For", forwardedFor)
                                .POST(HttpRequest.BodyPublishers.ofString(form))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(302);
        return response.headers().firstValue("Location").orElseThrow();
    }

    private String logIn(String password, String forwardedFor) throws Exception {
        return logIn(new DashboardBrowser(this.port), "operator", password, forwardedFor);
    }
}
