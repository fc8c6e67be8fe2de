package io.clawmesh.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
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
 * Issue 12 item 5 replayed over real HTTP: what an anonymous visitor can make the coordinator keep in memory before
 * logging in. Sessions are counted by Tomcat's own session manager.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "mesh.security.token=" + DashboardAnonymousMemoryIntegrationTests.TOKEN,
            "mesh.health.probe-tick=1h",
            "mesh.health.sweep-interval=1h"
        })
@DirtiesContext(classMode = ClassMode.AFTER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the huge user names lock 127.0.0.1 out: that test runs last
class DashboardAnonymousMemoryIntegrationTests {

    static final String TOKEN = "memory-operator-token-7d2e4b";

    private static final List<String> PAGES = List.of(
            "/dashboard",
            "/dashboard/rules",
            "/dashboard/nodes/node-0000000000000001",
            "/dashboard/console",
            "/dashboard/activity",
            "/dashboard/login",
            "/dashboard/no-such-page?x=1",
            "/");

    @TempDir
    static Path dataDir;

    @LocalServerPort
    int port;

    @Autowired
    WebServerApplicationContext context;

    @Autowired
    LoginThrottle throttle;

    @DynamicPropertySource
    static void meshDataDir(DynamicPropertyRegistry properties) {
        properties.add("mesh.data-dir", () -> dataDir.toString());
    }

    @Test
    @Order(1)
    void anonymousPageRequestsShouldCreateNoSessionAndSaveNoRequest() throws Exception {
        int before = ContainerSessions.active(this.context);
        List<String> cookies = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            // a fresh client each time, as a flood of new visitors is
            HttpResponse<String> response = new DashboardBrowser(this.port).get(PAGES.get(i % PAGES.size()));
            assertThat(response.statusCode()).isIn(200, 302);
            cookies.addAll(response.headers().allValues("Set-Cookie"));
        }

        assertThat(ContainerSessions.active(this.context)).isEqualTo(before).isZero();
        assertThat(cookies).noneMatch((cookie) -> cookie.startsWith("JSESSIONID="));
    }

    @Test
    @Order(2)
    void loginPageShouldStillCarryACsrfTokenAndTheLoginShouldLeadBackToTheAskedPage() throws Exception {
        DashboardBrowser browser = new DashboardBrowser(this.port);
        assertThat(browser.get("/dashboard/rules").statusCode()).isEqualTo(302);
        assertThat(ContainerSessions.active(this.context)).isZero();

        assertThat(browser.logIn("operator", TOKEN)).endsWith("/dashboard/rules");
        assertThat(browser.get("/dashboard/rules").statusCode()).isEqualTo(200);
        assertThat(ContainerSessions.active(this.context)).isOne();
        assertThat(browser.post("/dashboard/logout", Map.of("_csrf", DashboardBrowser.csrf(browser.get("/dashboard"))))
                        .statusCode())
                .isEqualTo(302);
        assertThat(ContainerSessions.active(this.context)).isZero();
    }

    @Test
    @Order(3)
    void failedLoginsWithHugeUserNamesShouldBeRefusedAndKeepTheThrottleTableSmall() throws Exception {
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            String name = (char) ('a' + i) + "x".repeat(1_000_000 - 1);
            DashboardBrowser browser = new DashboardBrowser(this.port);
            String csrf = DashboardBrowser.csrf(browser.get(DashboardPaths.LOGIN));
            responses.add(
                    browser.post(DashboardPaths.LOGIN, Map.of("username", name, "password", "guess", "_csrf", csrf)));
        }

        assertThat(this.throttle.size()).as("only the address is remembered").isLessThanOrEqualTo(1);
        assertThat(this.throttle.keys()).allMatch((key) -> key.matches("[A-Za-z0-9_-]{43}"), "a SHA-256 hash");
        assertThat(responses).allSatisfy((response) -> {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).contains("user name is longer than 256 characters");
        });
        assertThat(ContainerSessions.active(this.context)).isZero();
    }
}
