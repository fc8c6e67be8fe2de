package io.clawmesh.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.node.Capabilities;
import io.clawmesh.common.node.RegisterNodeRequest;
import io.clawmesh.common.routing.RuleMatch;
import io.clawmesh.common.routing.RuleRequest;
import io.clawmesh.coordinator.registry.NodeRegistry;
import io.clawmesh.coordinator.routing.RoutingRules;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
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
 * The dashboard's security in the whole coordinator over real HTTP (Tomcat's cookies included), next to the API's
 * token chain: login, the session cookie's flags, no token in any page, CSRF on every form, logout, and that a
 * dashboard session is no key to the API.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "mesh.security.token=" + DashboardSecurityIntegrationTests.TOKEN,
            "mesh.security.allow-private=true",
            "mesh.health.probe-tick=1h",
            "mesh.health.sweep-interval=1h",
            "mesh.health.heartbeat-timeout=1h"
        })
@DirtiesContext(classMode = ClassMode.AFTER_CLASS)
class DashboardSecurityIntegrationTests {

    static final String TOKEN = "integration-operator-token-93b7e1";

    @TempDir
    static Path dataDir;

    @LocalServerPort
    int port;

    @Autowired
    NodeRegistry registry;

    @Autowired
    RoutingRules rules;

    private @Nullable DashboardBrowser browser;

    private String nodeId;

    @DynamicPropertySource
    static void meshDataDir(DynamicPropertyRegistry properties) {
        properties.add("mesh.data-dir", () -> dataDir.toString());
    }

    @BeforeEach
    void oneNode() {
        this.nodeId = this.registry
                .findByIdOrName("box")
                .map((node) -> node.id())
                .orElseGet(() -> this.registry
                        .register(new RegisterNodeRequest(
                                "box", "127.0.0.1:9", new Capabilities("linux", "amd64", false, 8, null, null)))
                        .nodeId());
    }

    @Test
    void pageWhenAnonymousShouldRedirectToLoginAndApiShouldAnswer401() throws Exception {
        HttpResponse<String> page = get("/dashboard/rules");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location"))
                .hasValueSatisfying((location) -> assertThat(location).endsWith("/dashboard/login"));
        assertThat(get("/").statusCode()).isEqualTo(302);
        assertThat(get("/dashboard/live/overview").statusCode()).isEqualTo(401);
        assertThat(get("/dashboard/events").statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/events").statusCode()).isEqualTo(401);
    }

    @Test
    void sessionCookieShouldBeHttpOnlyAndSameSiteStrict() throws Exception {
        HttpResponse<String> page = get("/dashboard/login");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().allValues("Set-Cookie"))
                .as("the login page keeps its CSRF token in a cookie, not in a session")
                .noneSatisfy((cookie) -> assertThat(cookie).startsWith("JSESSIONID="))
                .anySatisfy((cookie) -> assertThat(cookie)
                        .startsWith("DASHBOARD-CSRF=")
                        .contains("HttpOnly", "SameSite=Strict", "Path=/dashboard"));
        HttpResponse<String> login =
                post("/dashboard/login", Map.of("username", "operator", "password", TOKEN, "_csrf", csrf(page)));
        assertThat(login.headers().allValues("Set-Cookie"))
                .anySatisfy((cookie) ->
                        assertThat(cookie).startsWith("JSESSIONID=").contains("HttpOnly", "SameSite=Strict"));
    }

    @Test
    void loggedInUserShouldSeeEveryPageAndNoPageShouldContainTheToken() throws Exception {
        logIn();
        List<String> pages = List.of(
                "/dashboard",
                "/dashboard/nodes/" + this.nodeId,
                "/dashboard/rules",
                "/dashboard/console",
                "/dashboard/activity",
                "/dashboard/live/overview",
                "/dashboard/live/nodes/" + this.nodeId,
                "/dashboard/live/activity",
                "/dashboard/login",
                "/dashboard/assets/dashboard.js",
                "/dashboard/assets/dashboard.css");
        for (String page : pages) {
            HttpResponse<String> response = get(page);
            assertThat(response.statusCode()).as(page).isIn(200, 302);
            assertThat(response.body()).as(page).doesNotContain(TOKEN);
        }
        assertThat(get("/dashboard").body()).contains("box");
    }

    @Test
    void formPostWithoutCsrfShouldBeRefusedAndChangeNothing() throws Exception {
        logIn();
        int before = this.rules.list().size();
        HttpResponse<String> refused = post("/dashboard/rules", Map.of("wildcard", "true"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("This form has expired", "Nothing was changed");
        assertThat(this.rules.list()).hasSize(before);
        assertThat(post("/dashboard/nodes/" + this.nodeId + "/remove", Map.of()).statusCode())
                .isEqualTo(403);
        assertThat(this.registry.find(this.nodeId)).isPresent();

        HttpResponse<String> accepted =
                post("/dashboard/rules", Map.of("wildcard", "true", "_csrf", csrf(get("/dashboard/rules"))));
        assertThat(accepted.statusCode()).isEqualTo(302);
        assertThat(this.rules.list()).hasSize(before + 1);
    }

    @Test
    void dashboardStreamShouldDeliverEventsToALoggedInSession() throws Exception {
        logIn();
        HttpResponse<InputStream> stream = browser()
                .client()
                .send(
                        HttpRequest.newBuilder(uri("/dashboard/events"))
                                .header("Accept", "text/event-stream")
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type"))
                .hasValueSatisfying((type) -> assertThat(type).startsWith("text/event-stream"));
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertThat(reader.readLine()).startsWith("retry:");
            String ruleId = this.rules
                    .add(new RuleRequest(new RuleMatch(null, "darwin", null, null, null, null, null), null, null))
                    .id();
            List<String> frame = new ArrayList<>();
            Executors.newVirtualThreadPerTaskExecutor()
                    .submit(() -> {
                        String line;
                        while ((line = reader.readLine()) != null && !line.startsWith("data:")) {
                            frame.add(line);
                        }
                        frame.add(line);
                        return null;
                    })
                    .get(10, TimeUnit.SECONDS);
            assertThat(frame).contains("event: rule.added");
            assertThat(frame.getLast()).contains(ruleId).doesNotContain(TOKEN);
        }
    }

    @Test
    void dashboardSessionShouldBeNoKeyToTheApi() throws Exception {
        logIn();
        assertThat(get("/dashboard").statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/nodes").statusCode()).isEqualTo(401);
    }

    @Test
    void bearerTokenShouldBeNoKeyToTheDashboard() throws Exception {
        HttpResponse<String> response = browser()
                .client()
                .send(
                        HttpRequest.newBuilder(uri("/dashboard"))
                                .header("Authorization", "Bearer " + TOKEN)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location"))
                .hasValueSatisfying((location) -> assertThat(location).endsWith("/dashboard/login"));
    }

    @Test
    void wrongPasswordShouldNotLogIn() throws Exception {
        String csrf = csrf(get("/dashboard/login"));
        HttpResponse<String> response =
                post("/dashboard/login", Map.of("username", "operator", "password", "guess", "_csrf", csrf));
        assertThat(response.headers().firstValue("Location"))
                .hasValueSatisfying((location) -> assertThat(location).endsWith("/dashboard/login?error"));
        assertThat(get("/dashboard").statusCode()).isEqualTo(302);
    }

    @Test
    void logoutShouldEndTheSession() throws Exception {
        logIn();
        HttpResponse<String> logout = post("/dashboard/logout", Map.of("_csrf", csrf(get("/dashboard"))));
        assertThat(logout.headers().firstValue("Location"))
                .hasValueSatisfying((location) -> assertThat(location).endsWith("/dashboard/login?logout"));
        assertThat(get("/dashboard").statusCode()).isEqualTo(302);
    }

    private void logIn() throws Exception {
        assertThat(browser().logIn("operator", TOKEN)).doesNotContain("error");
    }

    private static String csrf(HttpResponse<String> page) {
        return DashboardBrowser.csrf(page);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return browser().get(path);
    }

    private HttpResponse<String> post(String path, Map<String, String> form) throws IOException, InterruptedException {
        return browser().post(path, form);
    }

    private URI uri(String path) {
        return browser().uri(path);
    }

    /** One browser per test instance (so one session per test), created once the server's port is known. */
    private DashboardBrowser browser() {
        if (this.browser == null) {
            this.browser = new DashboardBrowser(this.port);
        }
        return this.browser;
    }
}
