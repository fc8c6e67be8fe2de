package io.clawmesh.coordinator.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.task.TaskStatus;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A database that has no connection to spare for a while (every pooled connection taken, as in a burst of a thousand
 * runs on a pool of ten): a task's run keeps its final status until the database takes it, instead of leaving the
 * task {@code running} with nobody following it; a submission meanwhile gets a clear 503 and leaves nothing behind.
 */
@TestPropertySource(
        properties = {"spring.datasource.hikari.maximum-pool-size=2", "spring.datasource.hikari.connection-timeout=250"
        })
class TaskDatabaseBusyIntegrationTests extends TaskIntegrationTestSupport {

    @Autowired
    DataSource dataSource;

    @Test
    void aRunThatEndsWhileThePoolIsExhaustedShouldWriteItsResultOnceAConnectionIsFree() throws Exception {
        FakeTaskAgent agent = FakeTaskAgent.start().chunks("all ", "done").holdAll(true);
        node("busy-db", agent, 1);
        String id = submitted(body("write me when you can"));
        awaitStatus(id, TaskStatus.RUNNING);

        List<Connection> taken = takeEveryConnection();
        try {
            agent.release(id);
            // several 250 ms connection timeouts pass while the run holds its result
            Thread.sleep(1500);
        } finally {
            for (Connection connection : taken) {
                connection.close();
            }
        }

        JsonNode task = awaitStatus(id, TaskStatus.SUCCEEDED);
        assertThat(task.path("response").asString()).isEqualTo("all done");
        // the run lets go of the task just after its final write, which the status above already shows
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> this.runner.activeCount() == 0);
    }

    @Test
    void aSubmissionWhileThePoolIsExhaustedShouldAnswer503AndLeaveNoTaskBehind() throws Exception {
        node("busy-db-submit", FakeTaskAgent.start().chunks("ok"), 1);
        HttpResponse<String> refused;
        List<Connection> taken = takeEveryConnection();
        try {
            refused = submit(body("not now"));
        } finally {
            for (Connection connection : taken) {
                connection.close();
            }
        }
        String detail = assertProblem(refused, 503, "database-unavailable");
        assertThat(detail).contains("try again");
        assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM tasks", Integer.class))
                .isZero();

        String id = submitted(body("now"));
        assertThat(awaitStatus(id, TaskStatus.SUCCEEDED).path("response").asString())
                .isEqualTo("ok");
    }

    /** Takes the pool's connections until it has none left (a connection is only given back when closed). */
    private List<Connection> takeEveryConnection() throws SQLException {
        List<Connection> taken = new ArrayList<>();
        try {
            while (taken.size() < 10) {
                taken.add(this.dataSource.getConnection());
            }
        } catch (SQLException exhausted) {
            // the pool timed out: every connection is ours
        }
        assertThat(taken).as("connections taken from the pool").isNotEmpty();
        return taken;
    }
}
