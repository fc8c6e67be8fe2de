package io.clawmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.node.NodeStatus;
import io.clawmesh.common.node.NodeView;
import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.common.task.TaskAccepted;
import io.clawmesh.common.task.TaskRequest;
import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.common.task.TaskView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * The dashboard in headless Chromium against a real coordinator and real agents, each a separate JVM on a random
 * loopback port. The steps run in order in one browser session, as an operator would use it; every page is saved as a
 * screenshot under {@code target/dashboard-screenshots} for review. Skipped, saying why, when Chromium or its driver
 * is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTests {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** The slow model's pace: slow enough to see a reply grow and to cancel a run, quick enough for a test. */
    private static final Duration WORD_DELAY = Duration.ofMillis(250);

    private SlowModelServer model;

    private MeshCluster cluster;

    private MeshProcess coordinator;

    private int coordinatorPort;

    private MeshProcess beta;

    private ChromiumBrowser browser;

    private WebDriver page;

    private WebDriverWait wait;

    private RestClient api;

    @BeforeAll
    void start(@TempDir Path workDir) throws Exception {
        String missing = ChromiumBrowser.missing();
        if (missing != null) {
            System.out.println("Skipping the dashboard browser tests: " + missing);
            Assumptions.abort("no browser: " + missing);
        }
        this.cluster = new MeshCluster(workDir);
        this.coordinatorPort = MeshCluster.freePort();
        this.coordinator = this.cluster.startCoordinator(this.coordinatorPort);
        this.api = RestClient.builder()
                .requestFactory(new JdkClientHttpRequestFactory())
                .baseUrl(this.coordinator.baseUrl())
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + MeshCluster.OPERATOR_TOKEN)
                .build();
        this.cluster.startAgent("alpha", MeshCluster.freePort(), this.coordinatorPort, "local", Map.of());
        this.browser =
                ChromiumBrowser.start(workDir.resolve("chromium-profile"), Path.of("target", "dashboard-screenshots"));
        this.page = this.browser.driver();
        this.wait = new WebDriverWait(this.page, PATIENCE);
        // A form post reloads the page: elements a condition found a moment ago may be gone when it reads them.
        this.wait.ignoring(StaleElementReferenceException.class);
    }

    /**
     * No page may log a script error or a refused resource, such as a content security policy violation. A refused
     * form comes back with 422 on purpose, and the console's message to an offline node with 503; Chromium logs that
     * too.
     */
    @AfterEach
    void noConsoleErrors() {
        if (this.browser != null) {
            assertThat(this.browser.consoleErrors())
                    .filteredOn((message) -> !message.contains("responded with a status of 422"))
                    .filteredOn((message) -> !(message.contains("/dashboard/console/tasks")
                            && message.contains("responded with a status of 503")))
                    .isEmpty();
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (this.browser != null) {
            this.browser.close();
        }
        if (this.cluster != null) {
            this.cluster.close();
        }
        if (this.model != null) {
            this.model.close();
        }
    }

    @Test
    @Order(1)
    void operatorLogsInWithTheTokenAndSeesTheMesh() throws Exception {
        open("/dashboard");
        this.wait.until(ExpectedConditions.urlContains("/dashboard/login"));
        this.browser.screenshot("01-login");

        logIn("not-the-token");
        assertThat(this.page.findElement(By.id("login-error")).getText()).contains("Wrong user name or password");

        logIn(MeshCluster.OPERATOR_TOKEN);
        this.wait.until(ExpectedConditions.urlToBe(this.coordinator.baseUrl() + "/dashboard"));
        // the live view re-renders the node's row as its status changes: look the row up afresh on every check
        By alpha = By.id("node-alpha");
        this.wait.until(ExpectedConditions.attributeToBe(alpha, "data-status", "online"));
        for (String shown : List.of("alpha", "echo", "0 / 8", "local")) {
            this.wait.until(ExpectedConditions.textToBePresentInElementLocated(alpha, shown));
        }
        this.wait.until(ExpectedConditions.textToBe(By.id("live-indicator"), "live"));
        assertNoTokenInPage();
    }

    @Test
    @Order(2)
    void nodeThatJoinsAppearsWithoutReloading() throws Exception {
        markPage();
        this.beta = this.cluster.startAgent("beta", MeshCluster.freePort(), this.coordinatorPort, "gpu-box", Map.of());
        WebElement row = this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("node-beta")));
        assertThat(row.getText()).contains("beta");
        this.wait.until(ExpectedConditions.textToBe(By.id("total-nodes"), "2"));
        assertSamePage();
        this.browser.screenshot("02-overview");
    }

    @Test
    @Order(3)
    void nodeGoesOfflineWhenItsAgentStops() throws Exception {
        markPage();
        this.beta.kill();
        this.wait.until(ExpectedConditions.attributeToBe(By.id("node-beta"), "data-status", "offline"));
        this.wait.until(ExpectedConditions.textToBe(By.id("total-offline"), "1"));
        assertSamePage();
        this.browser.screenshot("03-overview-node-offline");
    }

    @Test
    @Order(4)
    void ruleFormShowsWhatIsWrongAndAddsGoodRules() throws Exception {
        this.page.findElement(By.linkText("Rules")).click();
        this.wait.until(ExpectedConditions.urlContains("/dashboard/rules"));
        assertThat(this.page.findElements(By.id("no-rules"))).hasSize(1);

        fill("os", "plan9");
        fill("skill", "docker");
        this.page.findElement(By.id("add-rule")).click();
        WebElement error = this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("os-error")));
        assertThat(error.getText()).contains("plan9", "linux");
        assertThat(this.page.findElement(By.id("os")).getAttribute("aria-invalid"))
                .isEqualTo("true");
        assertThat(this.page.findElement(By.id("skill")).getDomProperty("value"))
                .as("what was typed is kept")
                .isEqualTo("docker");
        this.browser.screenshot("04-rules-validation-error");

        fill("os", "linux");
        fill("skill", "");
        fill("target", "alpha");
        this.page.findElement(By.id("add-rule")).click();
        this.wait.until(
                ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".flash.notice"), "Added rule"));

        new Select(this.page.findElement(By.id("gpu"))).selectByValue("no");
        new Select(this.page.findElement(By.id("strategy"))).selectByValue("round-robin");
        this.page.findElement(By.id("add-rule")).click();
        this.wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("li.rule"), 2));
        assertThat(ruleTexts()).containsExactly("runs linux", "has no GPU");
        assertThat(apiRules()).extracting((rule) -> rule.match().requiresOs()).containsExactly("linux", null);
        assertNoTokenInPage();
    }

    @Test
    @Order(5)
    void rulesMoveUpAndDownAndAreDeleted() throws Exception {
        List<WebElement> rules = this.page.findElements(By.cssSelector("li.rule"));
        rules.get(1).findElement(By.cssSelector("button.move-up")).click();
        this.wait.until((driver) -> ruleTexts().equals(List.of("has no GPU", "runs linux")));
        assertThat(apiRules()).extracting((rule) -> rule.match().requiresOs()).containsExactly(null, "linux");
        this.browser.screenshot("05-rules");

        this.page
                .findElements(By.cssSelector("li.rule"))
                .get(0)
                .findElement(By.cssSelector("button.move-down"))
                .click();
        this.wait.until((driver) -> ruleTexts().equals(List.of("runs linux", "has no GPU")));

        this.page
                .findElements(By.cssSelector("li.rule"))
                .get(1)
                .findElement(By.cssSelector("button.delete"))
                .click();
        this.wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("li.rule"), 1));
        assertThat(ruleTexts()).containsExactly("runs linux");
        assertThat(apiRules()).hasSize(1);
    }

    @Test
    @Order(6)
    void consoleSendsAMessageAndShowsTheReply() throws Exception {
        this.page.findElement(By.linkText("Console")).click();
        this.wait.until(ExpectedConditions.urlContains("/dashboard/console"));
        fill("content", "hello from the browser");
        this.page.findElement(By.id("send")).click();
        this.wait.until(ExpectedConditions.textToBe(By.id("result-reply"), "[claw-mesh echo] hello from the browser"));
        this.wait.until(ExpectedConditions.textToBe(By.id("result-status"), "succeeded"));
        assertThat(this.page.findElement(By.id("result-node")).getText()).isEqualTo("alpha");
        assertThat(this.page.findElement(By.id("result-latency")).getText()).matches("\\d+ ms");
        assertThat(this.page.findElement(By.id("result-task")).getText()).startsWith("task-");
        this.browser.screenshot("06-console");

        new Select(this.page.findElement(By.id("node"))).selectByValue("alpha");
        fill("content", "to alpha by name");
        this.page.findElement(By.id("content")).sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
        this.wait.until(ExpectedConditions.textToBe(By.id("result-reply"), "[claw-mesh echo] to alpha by name"));

        fill("content", "to the dead one");
        new Select(this.page.findElement(By.id("node"))).selectByValue("beta");
        this.page.findElement(By.id("send")).click();
        WebElement error = this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("result-error")));
        assertThat(error.getText()).contains("beta");
    }

    @Test
    @Order(7)
    void activityShowsWhatHappenedLiveAndNoMessageContent() throws Exception {
        this.page.findElement(By.linkText("Activity")).click();
        this.wait.until(ExpectedConditions.urlContains("/dashboard/activity"));
        String log = this.page.findElement(By.cssSelector("ol.activity")).getText();
        assertThat(log)
                .contains("Node beta joined", "Node beta went from online to offline")
                .as("the console's messages ran as tasks")
                .contains("Task queued", "Task started on alpha", "Task ended on alpha")
                .contains("Rule added at position 1: os:linux → alpha", "Rule moved to position 1");
        assertThat(this.page.getPageSource())
                .as("message content is not in events unless mesh.events.include-content is on")
                .doesNotContain("hello from the browser");

        markPage();
        int before = this.page.findElements(By.cssSelector("li.event")).size();
        this.api
                .post()
                .uri("/api/v1/route")
                .contentType(MediaType.APPLICATION_JSON)
                .body(new RouteRequest("sent through the API"))
                .retrieve()
                .toBodilessEntity();
        this.wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("li.event"), before));
        assertThat(this.page.findElement(By.cssSelector("li.event")).getAttribute("data-type"))
                .isEqualTo("message.routed");
        assertSamePage();
        this.browser.screenshot("07-activity");
    }

    @Test
    @Order(8)
    void offlineNodeIsRemovedFromItsPage() throws Exception {
        this.page.findElement(By.linkText("Overview")).click();
        click(By.id("node-link-alpha"));
        this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("remove-unavailable")));
        assertThat(this.page.findElements(By.id("remove-node")))
                .as("a live node has no remove button")
                .isEmpty();
        this.browser.screenshot("08-node-online");

        open("/dashboard");
        click(By.id("node-link-beta"));
        this.wait.until(ExpectedConditions.elementToBeClickable(By.id("remove-node")));
        this.browser.screenshot("09-node-offline");
        click(By.id("remove-node"));
        this.wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector(".flash.notice"), "Removed node beta."));
        assertThat(this.page.findElements(By.id("node-beta"))).isEmpty();
        assertThat(apiNodes()).extracting(NodeView::name).containsExactly("alpha");
    }

    @Test
    @Order(9)
    void tasksPageListsATaskLiveAndItsCancelButtonStopsTheRun() throws Exception {
        this.model = new SlowModelServer(WORD_DELAY);
        this.cluster.startAgent(
                "slow",
                MeshCluster.freePort(),
                this.coordinatorPort,
                "slow",
                Map.of(),
                List.of(
                        "--mesh.agent.runtime=openai",
                        "--mesh.agent.api-base=" + this.model.apiBase(),
                        "--mesh.agent.api-model=slow",
                        "--mesh.agent.capacity=1"));
        this.wait.until((driver) -> apiNodes().stream()
                .anyMatch((node) -> node.name().equals("slow") && node.status() == NodeStatus.ONLINE));

        this.page.findElement(By.linkText("Tasks")).click();
        this.wait.until(ExpectedConditions.urlContains("/dashboard/tasks"));
        this.wait.until(ExpectedConditions.textToBe(By.id("live-indicator"), "live"));
        markPage();
        String prompt = "a long story" + " and then some more".repeat(20);
        TaskAccepted accepted = this.api
                .post()
                .uri("/api/v1/tasks")
                .contentType(MediaType.APPLICATION_JSON)
                .body(new TaskRequest(prompt, "api", null, "slow", null, null, null))
                .retrieve()
                .body(TaskAccepted.class);
        String id = accepted.taskId();
        By row = By.id("task-" + id);
        this.wait.until(ExpectedConditions.attributeToBe(row, "data-status", "running"));
        assertThat(this.page.findElement(row).getText()).contains("slow", "a long story");
        assertSamePage();
        this.browser.screenshot("11-tasks-running");

        click(By.id("cancel-" + id));
        WebElement notice = this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash")));
        assertThat(notice.getText()).containsAnyOf("Canceled task " + id + ".", "Task " + id + " is canceled.");
        assertThat(notice.getAttribute("class")).contains("notice");
        this.wait.until(ExpectedConditions.attributeToBe(row, "data-status", "canceled"));
        assertThat(this.page.findElements(By.id("cancel-" + id)))
                .as("a finished task has no cancel button")
                .isEmpty();
        assertThat(apiTask(id).status()).isEqualTo(TaskStatus.CANCELED);
        this.wait.until((driver) -> this.model.aborts().contains(prompt));
        assertThat(this.model.completed()).doesNotContain(prompt);

        click(By.id("task-link-" + id));
        this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("task-content")));
        assertThat(this.page.findElement(By.id("task-content")).getText()).isEqualTo(prompt);
        assertThat(this.page.findElements(By.id("cancel-task"))).isEmpty();
        this.browser.screenshot("12-task");
    }

    @Test
    @Order(10)
    void consoleShowsTheReplyGrowingAsItIsWrittenAndCancelsARun() throws Exception {
        open("/dashboard/console");
        new Select(this.page.findElement(By.id("node"))).selectByValue("slow");
        String prompt = "stream these words to me one at a time please";
        String reply = SlowModelServer.replyTo(prompt);
        fill("content", prompt);
        markPage();
        // every text the reply shows, recorded in the page as it changes
        ((JavascriptExecutor) this.page)
                .executeScript("window.clawMeshReplies = [];"
                        + "new MutationObserver(function () {"
                        + "  var reply = document.getElementById('result-reply');"
                        + "  if (reply) { window.clawMeshReplies.push(reply.textContent); }"
                        + "}).observe(document.getElementById('main'),"
                        + " {subtree: true, childList: true, characterData: true});");
        this.page.findElement(By.id("send")).click();
        this.wait.until(ExpectedConditions.textToBe(By.id("result-status"), "running"));
        assertThat(this.page.findElement(By.id("result-node")).getText()).isEqualTo("slow");
        this.browser.screenshot("13-console-streaming");
        this.wait.until(ExpectedConditions.textToBe(By.id("result-reply"), reply));
        this.wait.until(ExpectedConditions.textToBe(By.id("result-status"), "succeeded"));
        @SuppressWarnings("unchecked")
        List<String> shown =
                (List<String>) ((JavascriptExecutor) this.page).executeScript("return window.clawMeshReplies");
        assertThat(shown.stream().filter((text) -> !text.isEmpty() && !text.equals(reply)))
                .as("the reply grew word by word before it was complete: " + shown)
                .hasSizeGreaterThan(2)
                .allSatisfy((text) -> assertThat(reply).startsWith(text));
        assertThat(this.page.findElement(By.id("result-cancel")).isDisplayed()).isFalse();
        assertThat(this.page.findElement(By.id("result-latency")).getText()).matches("\\d+ ms");
        assertSamePage();

        String longPrompt = "cancel me" + " word".repeat(40);
        fill("content", longPrompt);
        this.page.findElement(By.id("send")).click();
        this.wait.until(
                (driver) -> !driver.findElement(By.id("result-reply")).getText().isEmpty());
        this.page.findElement(By.id("result-cancel")).click();
        this.wait.until(ExpectedConditions.textToBe(By.id("result-status"), "canceled"));
        assertThat(this.page.findElement(By.id("result-error")).getText()).contains("canceled");
        this.wait.until((driver) -> this.model.aborts().contains(longPrompt));
        assertSamePage();
        this.browser.screenshot("14-console-canceled");
    }

    @Test
    @Order(11)
    void pagesFitAPhoneAndWorkByKeyboard() throws Exception {
        this.browser.resize(375, 812);
        try {
            for (String path : List.of(
                    "/dashboard",
                    "/dashboard/rules",
                    "/dashboard/tasks",
                    "/dashboard/console",
                    "/dashboard/activity")) {
                open(path);
                this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("main")));
                Number overflow = (Number) ((JavascriptExecutor) this.page)
                        .executeScript("return document.documentElement.scrollWidth - window.innerWidth");
                assertThat(overflow.intValue())
                        .as(path + " scrolls sideways on a phone")
                        .isLessThanOrEqualTo(0);
                this.browser.screenshot("10-phone-" + (path.equals("/dashboard") ? "overview" : path.substring(11)));
            }
        } finally {
            this.browser.resize(1280, 900);
        }

        open("/dashboard");
        this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("main")));
        this.page.findElement(By.tagName("body")).sendKeys(Keys.TAB);
        assertThat(focused().getText()).isEqualTo("Skip to content");
        for (int i = 0; i < 20 && !focused().getText().equals("Rules"); i++) {
            focused().sendKeys(Keys.TAB);
        }
        assertThat(focused().getText()).isEqualTo("Rules");
        focused().sendKeys(Keys.ENTER);
        this.wait.until(ExpectedConditions.urlContains("/dashboard/rules"));
    }

    @Test
    @Order(12)
    void auditPageShowsWhoDidWhatAndFiltersByAction() throws Exception {
        open("/dashboard");
        click(By.linkText("Audit"));
        this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("audit-table")));
        List<String> actions = this.page.findElements(By.cssSelector("tr.audit-entry")).stream()
                .map((row) -> row.getAttribute("data-action"))
                .toList();
        assertThat(actions)
                .contains(
                        "dashboard.login_failed",
                        "dashboard.login",
                        "rule.create",
                        "rule.update",
                        "rule.delete",
                        "node.remove",
                        "task.cancel");
        assertThat(this.page.findElement(By.id("audit-table")).getText())
                .contains("dashboard:operator")
                .contains("wrong user name or password");
        this.browser.screenshot("16-audit");

        click(By.id("filter-node.remove"));
        this.wait.until(ExpectedConditions.urlContains("action=node.remove"));
        List<WebElement> removals = this.page.findElements(By.cssSelector("tr.audit-entry"));
        assertThat(removals).isNotEmpty();
        assertThat(removals)
                .allSatisfy((row) -> assertThat(row.getAttribute("data-action")).isEqualTo("node.remove"));
        assertThat(removals.getFirst().getText()).contains("beta");
        assertNoTokenInPage();
    }

    @Test
    @Order(13)
    void logoutLeadsBackToLoginAndThePagesAreClosedAgain() throws Exception {
        this.page.findElement(By.id("logout")).click();
        this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("logged-out")));
        assertThat(this.page.getCurrentUrl()).endsWith("/dashboard/login?logout");
        open("/dashboard/rules");
        this.wait.until(ExpectedConditions.urlContains("/dashboard/login"));

        HttpClient http = HttpClient.newHttpClient();
        assertThat(http.send(
                                HttpRequest.newBuilder(URI.create(this.coordinator.baseUrl() + "/api/v1/events"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode())
                .isEqualTo(401);
    }

    private void open(String path) {
        this.page.get(this.coordinator.baseUrl() + path);
    }

    /** Clicks an element of a live part of a page, finding it again if the page swapped that part meanwhile. */
    private void click(By element) {
        this.wait.until((driver) -> {
            driver.findElement(element).click();
            return true;
        });
    }

    private void logIn(String password) {
        WebElement field = this.wait.until(ExpectedConditions.elementToBeClickable(By.id("password")));
        field.clear();
        field.sendKeys(password);
        this.page.findElement(By.id("login")).click();
    }

    private void fill(String id, String text) {
        WebElement field = this.page.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    private WebElement focused() {
        return this.page.switchTo().activeElement();
    }

    /** Tags the page in the browser; a reload would lose the tag. */
    private void markPage() {
        ((JavascriptExecutor) this.page).executeScript("window.clawMeshTestMark = 'same page';");
    }

    private void assertSamePage() {
        assertThat(((JavascriptExecutor) this.page).executeScript("return window.clawMeshTestMark"))
                .as("the page updated itself without a reload")
                .isEqualTo("same page");
    }

    private void assertNoTokenInPage() {
        assertThat(this.page.getPageSource()).doesNotContain(MeshCluster.OPERATOR_TOKEN);
    }

    private List<String> ruleTexts() {
        return this.page.findElements(By.cssSelector("li.rule .match")).stream()
                .map(WebElement::getText)
                .toList();
    }

    private List<RoutingRule> apiRules() {
        return this.api.get().uri("/api/v1/rules").retrieve().body(new ParameterizedTypeReference<>() {});
    }

    private TaskView apiTask(String id) {
        return this.api.get().uri("/api/v1/tasks/{id}", id).retrieve().body(TaskView.class);
    }

    private List<NodeView> apiNodes() {
        return this.api.get().uri("/api/v1/nodes").retrieve().body(new ParameterizedTypeReference<>() {});
    }
}
