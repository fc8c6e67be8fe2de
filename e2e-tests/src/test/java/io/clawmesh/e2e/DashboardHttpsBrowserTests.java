package io.clawmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.tls.CaFingerprint;
import io.clawmesh.common.tls.MeshTrust;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium over HTTPS: a coordinator serving its own mesh CA ({@code mesh.tls.enabled}) with
 * one echo agent joined over HTTPS (its own API plain HTTP: {@code mesh.agent.mutual-tls=off}). Chromium trusts exactly that coordinator's server certificate, pinned by the
 * SHA-256 of its public key ({@code --ignore-certificate-errors-spki-list}), never every certificate; a second
 * Chromium without the pin shows its certificate interstitial instead of the login form. Skipped, saying why, when
 * Chromium or its driver is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardHttpsBrowserTests {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");

    private Path workDir;

    private MeshCluster cluster;

    private String baseUrl;

    private CaFingerprint caFingerprint;

    private String spkiPin;

    private ChromiumBrowser browser;

    private WebDriver page;

    private WebDriverWait wait;

    @BeforeAll
    void start(@TempDir Path workDir) throws Exception {
        String missing = ChromiumBrowser.missing();
        if (missing != null) {
            System.out.println("Skipping the dashboard HTTPS browser tests: " + missing);
            Assumptions.abort("no browser: " + missing);
        }
        this.workDir = workDir;
        this.cluster = new MeshCluster(workDir);
        int port = MeshCluster.freePort();
        this.baseUrl = "https://127.0.0.1:" + port;
        MeshProcess coordinator =
                this.cluster.startCoordinator("coordinator-https", port, List.of("--mesh.tls.enabled=true"));
        Path caFile = workDir.resolve("coordinator-https").resolve("tls").resolve("ca.crt");
        Awaitility.await("the mesh CA written")
                .atMost(Duration.ofSeconds(90))
                .failFast("the coordinator ended:\n" + coordinator.logTail(), () -> !coordinator.isAlive())
                .until(() -> Files.isRegularFile(caFile) && Files.size(caFile) > 0);
        this.caFingerprint = CaFingerprint.of(MeshTrust.readCertificates(caFile).get(0));
        SSLContext trustTheMeshCa = MeshTrust.clientContext(this.caFingerprint.toString(), null);
        HttpClient https = HttpClient.newBuilder()
                .sslContext(trustTheMeshCa)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        Awaitility.await("the coordinator answering over HTTPS")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .failFast("the coordinator ended:\n" + coordinator.logTail(), () -> !coordinator.isAlive())
                .ignoreExceptions()
                .until(() -> https.send(
                                        HttpRequest.newBuilder(URI.create(this.baseUrl + "/actuator/health"))
                                                .timeout(Duration.ofSeconds(2))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200);
        this.spkiPin = spkiSha256(servedCertificate(trustTheMeshCa, port));
        this.cluster.startAgent(
                "alpha",
                MeshCluster.freePort(),
                port,
                "local",
                Map.of(),
                // the agent's own API stays plain HTTP (this test is about the browser), so the cluster can await it
                List.of(
                        "--mesh.agent.coordinator-url=" + this.baseUrl,
                        "--mesh.agent.ca-file=" + caFile,
                        "--mesh.agent.mutual-tls=off"));
        this.browser = ChromiumBrowser.start(
                workDir.resolve("chromium-profile"),
                SCREENSHOTS,
                List.of("--ignore-certificate-errors-spki-list=" + this.spkiPin));
        this.page = this.browser.driver();
        this.wait = new WebDriverWait(this.page, PATIENCE);
        // as DashboardBrowserTests: the live view replaces elements as events arrive, so a condition that met a
        // replaced element is tried again
        this.wait.ignoring(StaleElementReferenceException.class);
    }

    @AfterAll
    void stop() throws Exception {
        if (this.browser != null) {
            this.browser.close();
        }
        if (this.cluster != null) {
            this.cluster.close();
        }
    }

    @Test
    @Order(1)
    void operatorLogsInOverHttpsAndSeesTheCaFingerprintAndTheNode() throws Exception {
        this.page.get(this.baseUrl + "/");
        this.wait.until(ExpectedConditions.urlToBe(this.baseUrl + "/dashboard/login"));
        WebElement password = this.wait.until(ExpectedConditions.elementToBeClickable(By.id("password")));
        password.sendKeys(MeshCluster.OPERATOR_TOKEN);
        this.page.findElement(By.id("login")).click();

        this.wait.until(ExpectedConditions.urlToBe(this.baseUrl + "/dashboard"));
        assertThat(this.page.findElement(By.id("ca-fingerprint")).getText()).isEqualTo(this.caFingerprint.toString());
        // the live view re-renders the node's row as its status changes: look the row up afresh on every check
        By alpha = By.id("node-alpha");
        this.wait.until(ExpectedConditions.attributeToBe(alpha, "data-status", "online"));
        this.wait.until(ExpectedConditions.textToBePresentInElementLocated(alpha, "alpha"));
        this.wait.until(ExpectedConditions.textToBePresentInElementLocated(alpha, "echo"));
        this.wait.until(ExpectedConditions.textToBe(By.id("live-indicator"), "live"));
        this.browser.screenshot("https-01-overview");
        assertThat(this.browser.consoleErrors()).isEmpty();
    }

    @Test
    @Order(2)
    void sessionCookieIsSecureOverHttps() {
        Cookie session = this.page.manage().getCookieNamed("JSESSIONID");
        assertThat(session).as("the session cookie after login").isNotNull();
        assertThat(session.isSecure()).as("Secure").isTrue();
        assertThat(session.isHttpOnly()).as("HttpOnly").isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
    }

    @Test
    @Order(3)
    void withoutThePinChromiumRefusesTheCoordinatorsCertificate() throws Exception {
        try (ChromiumBrowser unpinned = ChromiumBrowser.start(this.workDir.resolve("chromium-unpinned"), SCREENSHOTS)) {
            WebDriver other = unpinned.driver();
            other.get(this.baseUrl + "/dashboard/login");
            new WebDriverWait(other, PATIENCE).until(ExpectedConditions.presenceOfElementLocated(By.tagName("body")));
            unpinned.screenshot("https-02-unpinned-interstitial");
            assertThat(other.findElements(By.id("password")))
                    .as("the login form of a certificate Chromium does not trust")
                    .isEmpty();
            assertThat(other.getPageSource()).containsAnyOf("ERR_CERT_AUTHORITY_INVALID", "not private");
        }
    }

    /** The server certificate the coordinator serves, read through a TLS handshake that trusts only its mesh CA. */
    private static X509Certificate servedCertificate(SSLContext context, int port) throws Exception {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    /** Base64 of the SHA-256 of the certificate's DER SubjectPublicKeyInfo: Chromium's SPKI pin format. */
    private static String spkiSha256(X509Certificate certificate) throws Exception {
        byte[] spki = certificate.getPublicKey().getEncoded();
        return Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
    }
}
