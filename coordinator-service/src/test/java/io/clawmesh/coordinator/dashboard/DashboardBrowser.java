package io.clawmesh.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A browser's view of the dashboard over real HTTP: its cookies, no redirects followed, forms with their CSRF field. */
final class DashboardBrowser {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final HttpClient client;

    private final int port;

    DashboardBrowser(int port) {
        this.client = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.port = port;
    }

    private DashboardBrowser(DashboardBrowser browser, int port) {
        this.client = browser.client;
        this.port = port;
    }

    /** The same browser, with its cookies, at another coordinator on this host (as behind a load balancer). */
    DashboardBrowser at(int otherPort) {
        return new DashboardBrowser(this, otherPort);
    }

    HttpClient client() {
        return this.client;
    }

    /** Posts the login form and returns where the coordinator sends the browser next. */
    String logIn(String user, String password) throws IOException, InterruptedException {
        String csrf = csrf(get(DashboardPaths.LOGIN));
        HttpResponse<String> response =
                post(DashboardPaths.LOGIN, Map.of("username", user, "password", password, "_csrf", csrf));
        assertThat(response.statusCode()).isEqualTo(302);
        return response.headers().firstValue("Location").orElseThrow();
    }

    static String csrf(HttpResponse<String> page) {
        Matcher matcher = CSRF.matcher(page.body());
        assertThat(matcher.find()).as("a CSRF field in the page").isTrue();
        return matcher.group(1);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return this.client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, Map<String, String> form) throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map((entry) -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return this.client.send(
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + this.port + path);
    }
}
