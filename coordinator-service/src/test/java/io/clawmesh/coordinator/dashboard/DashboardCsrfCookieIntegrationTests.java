package io.clawmesh.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.coordinator.routing.RoutingRules;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A CSRF token the attacker chose, replayed over real HTTP: cookies ignore ports and {@code SameSite} counts every port
 * of a host as the same site, so a page served by any other port of the coordinator's host (or a sibling subdomain)
 * can set the {@code DASHBOARD-CSRF} cookie and post a form that carries the logged-in user's session cookie. Once
 * logged in, only the token kept in the session may count.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "mesh.security.token=" + DashboardCsrfCookieIntegrationTests.TOKEN,
            "mesh.health.probe-tick=1h",
            "mesh.health.sweep-interval=1h"
        })
@DirtiesContext(classMode = ClassMode.AFTER_CLASS)
class DashboardCsrfCookieIntegrationTests {

    static final String TOKEN = "csrf-cookie-operator-token-4f1a9c";

    /** The token the attacker's page writes into the victim's cookie jar. */
    private static final String TOSSED = "attacker-chosen-csrf-token";

    @TempDir
    static Path dataDir;

    @LocalServerPort
    int port;

    @Autowired
    RoutingRules rules;

    @DynamicPropertySource
    static void meshDataDir(DynamicPropertyRegistry properties) {
        properties.add("mesh.data-dir", () -> dataDir.toString());
    }

    @Test
    void formWhenLoggedInWithATossedCsrfCookieShouldBeRefusedAndChangeNothing() throws Exception {
        DashboardBrowser victim = new DashboardBrowser(this.port);
        victim.logIn("operator", TOKEN);
        String session = cookie(victim, "JSESSIONID");
        int before = this.rules.list().size();

        String form = "_csrf=" + URLEncoder.encode(masked(TOSSED), StandardCharsets.UTF_8) + "&target=victim&os=linux";
        // the victim's browser sends its session cookie with the attacker's same-site form, next to the tossed cookie
        HttpResponse<String> forged = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(victim.uri(DashboardPaths.RULES))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .header("Cookie", "JSESSIONID=" + session + "; DASHBOARD-CSRF=" + TOSSED)
                                .POST(HttpRequest.BodyPublishers.ofString(form))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(this.rules.list()).hasSize(before);
    }

    @Test
    void formWhenLoggedInWithTheTokenOfItsPageShouldStillWork() throws Exception {
        DashboardBrowser browser = new DashboardBrowser(this.port);
        browser.logIn("operator", TOKEN);
        int before = this.rules.list().size();
        String csrf = DashboardBrowser.csrf(browser.get(DashboardPaths.RULES));

        HttpResponse<String> added =
                browser.post(DashboardPaths.RULES, Map.of("_csrf", csrf, "target", "box", "os", "linux"));

        assertThat(added.statusCode()).isEqualTo(302);
        assertThat(this.rules.list()).hasSize(before + 1);
        String again = DashboardBrowser.csrf(browser.get(DashboardPaths.RULES));
        assertThat(browser.post(DashboardPaths.LOGOUT, Map.of("_csrf", again)).statusCode())
                .isEqualTo(302);
    }

    /** A raw token in the masked form Spring Security's forms carry: random bytes, then the token XOR those bytes. */
    private static String masked(String token) {
        byte[] raw = token.getBytes(StandardCharsets.UTF_8);
        byte[] combined = new byte[raw.length * 2];
        System.arraycopy(raw, 0, combined, raw.length, raw.length); // zero "random" bytes: XOR leaves the token
        return Base64.getUrlEncoder().encodeToString(combined);
    }

    private static String cookie(DashboardBrowser browser, String name) {
        CookieManager cookies = (CookieManager) browser.client().cookieHandler().orElseThrow();
        return cookies.getCookieStore().getCookies().stream()
                .filter((cookie) -> cookie.getName().equals(name))
                .map(HttpCookie::getValue)
                .findFirst()
                .orElseThrow();
    }
}
