package io.clawmesh.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.task.TaskRequest;
import io.clawmesh.common.task.TaskStatus;
import io.clawmesh.coordinator.tasks.TaskBoard;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
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
 * The dashboard's task pages in the whole coordinator over real HTTP, with the real task board and database but no
 * node, so a task stays queued until it is canceled: the console submits a task, the tasks page lists it, the task's
 * event stream is relayed to the session, the cancel button cancels it through the board, and none of it opens
 * without a session or a form's CSRF token.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "mesh.security.token=" + DashboardTasksIntegrationTests.TOKEN,
            "mesh.health.probe-tick=1h",
            "mesh.health.sweep-interval=1h",
            "mesh.health.heartbeat-timeout=1h"
        })
@DirtiesContext(classMode = ClassMode.AFTER_CLASS)
class DashboardTasksIntegrationTests {

    static final String TOKEN = "integration-operator-token-4d0a77";

    private static final Pattern TASK_ID = Pattern.compile("\"task_id\":\"(task-[0-9a-f]{20})\"");

    @TempDir
    static Path dataDir;

    @LocalServerPort
    int port;

    @Autowired
    TaskBoard board;

    private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();

    private @Nullable DashboardBrowser browser;

    @DynamicPropertySource
    static void meshDataDir(DynamicPropertyRegistry properties) {
        properties.add("mesh.data-dir", () -> dataDir.toString());
    }

    @AfterEach
    void stopReaders() {
        this.readers.shutdownNow();
    }

    @Test
    void anonymousRequestsShouldBeRedirectedOrRefusedAndChangeNothing() throws Exception {
        String id = this.board
                .submit(new TaskRequest("stay", null, null, null, null, null, null), null)
                .task()
                .id();
        assertThat(get("/dashboard/tasks").statusCode()).isEqualTo(302);
        assertThat(get("/dashboard/tasks/" + id).statusCode()).isEqualTo(302);
        assertThat(get("/dashboard/live/tasks").statusCode()).isEqualTo(401);
        assertThat(get("/dashboard/tasks/" + id + "/events").statusCode()).isEqualTo(401);
        assertThat(post("/dashboard/console/tasks", Map.of("content", "sneaky")).statusCode())
                .isIn(401, 403);
        assertThat(post("/dashboard/tasks/" + id + "/cancel", Map.of()).statusCode())
                .isIn(302, 401, 403);
        assertThat(this.board.find(id).status()).isEqualTo(TaskStatus.QUEUED);
        this.board.cancel(id);
    }

    @Test
    void consoleTaskShouldBeListedStreamedAndCanceledFromThePages() throws Exception {
        logIn();
        String csrf = DashboardBrowser.csrf(get("/dashboard/console"));
        HttpResponse<String> sent = post("/dashboard/console/tasks", Map.of("content", "a <long> job", "_csrf", csrf));
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        Matcher matcher = TASK_ID.matcher(sent.body());
        assertThat(matcher.find()).isTrue();
        String id = matcher.group(1);
        assertThat(this.board.find(id).source()).isEqualTo("dashboard:operator");

        HttpResponse<String> list = get("/dashboard/tasks?status=queued");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body())
                .contains("id=\"task-" + id + "\"", "id=\"cancel-" + id + "\"", "a &lt;long&gt; job")
                .doesNotContain(TOKEN);
        assertThat(get("/dashboard/tasks/" + id).body())
                .contains("data-task-stream")
                .doesNotContain(TOKEN);

        Future<List<String>> stream = follow(id);
        HttpResponse<String> refused = post("/dashboard/tasks/" + id + "/cancel", Map.of());
        assertThat(refused.statusCode()).as("no CSRF token").isEqualTo(403);
        assertThat(this.board.find(id).status()).isEqualTo(TaskStatus.QUEUED);

        HttpResponse<String> canceled =
                post("/dashboard/tasks/" + id + "/cancel", Map.of("_csrf", DashboardBrowser.csrf(list)));
        assertThat(canceled.statusCode()).isEqualTo(302);
        assertThat(this.board.find(id).status()).isEqualTo(TaskStatus.CANCELED);
        assertThat(get("/dashboard/tasks").body()).contains("Canceled task " + id + ".");

        List<String> lines = stream.get(10, TimeUnit.SECONDS);
        assertThat(lines).contains("event: queued", "event: canceled");
        assertThat(String.join("\n", lines)).doesNotContain(TOKEN);

        HttpResponse<String> again = post(
                "/dashboard/tasks/" + id + "/cancel", Map.of("_csrf", DashboardBrowser.csrf(get("/dashboard/tasks"))));
        assertThat(again.statusCode()).isEqualTo(302);
        assertThat(get("/dashboard/tasks").body()).contains("Task " + id + " is canceled.");
    }

    @Test
    void unknownTaskShouldBeNotFoundForTheSession() throws Exception {
        logIn();
        assertThat(get("/dashboard/tasks/task-ffffffffffffffffffff").statusCode())
                .isEqualTo(404);
        assertThat(get("/dashboard/tasks/not-a-task-id").statusCode()).isEqualTo(404);
        assertThat(get("/dashboard/tasks/task-ffffffffffffffffffff/events").statusCode())
                .isEqualTo(404);
        assertThat(get("/dashboard/tasks?status=" + URLEncoder.encode("<x>", StandardCharsets.UTF_8))
                        .statusCode())
                .isEqualTo(400);
    }

    /** Reads the task's event stream for the session until it ends. */
    private Future<List<String>> follow(String id) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = browser()
                .client()
                .send(
                        HttpRequest.newBuilder(browser().uri("/dashboard/tasks/" + id + "/events"))
                                .header("Accept", "text/event-stream")
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        assertThat(reader.readLine()).isEqualTo(": task " + id);
        return this.readers.submit(() -> {
            List<String> lines = new ArrayList<>();
            try (reader) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                }
            }
            return lines;
        });
    }

    private void logIn() throws Exception {
        assertThat(browser().logIn("operator", TOKEN)).doesNotContain("error");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return browser().get(path);
    }

    private HttpResponse<String> post(String path, Map<String, String> form) throws IOException, InterruptedException {
        return browser().post(path, form);
    }

    private DashboardBrowser browser() {
        if (this.browser == null) {
            this.browser = new DashboardBrowser(this.port);
        }
        return this.browser;
    }
}
