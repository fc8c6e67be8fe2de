package io.clawmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.problem.ProblemType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code claw-mesh audit} and {@code claw-mesh token rotate} against a fake coordinator over real HTTP. */
class AuditCommandsTests extends CliTestSupport {

    private static final String PAGE = """
            {"entries":[
              {"id":2,"time":"2026-11-24T02:59:00Z","actor":"operator:abcd1234","address":null,
               "action":"rule.delete","target":"rule-000000000001","detail":"gpu:true","outcome":"success"},
              {"id":1,"time":"2026-11-24T02:58:00Z","actor":"dashboard:alice","address":"203.0.113.7",
               "action":"dashboard.login_failed","target":"alice","detail":"wrong user name or password\\u001b[31m",
               "outcome":"failure"}],
             "next_cursor":"YXVkaXQ6MQ"}
            """;

    private static final String ROTATED = """
            {"token":"cmo_new-token","fingerprint":"9f8e7d6c","previous_valid_until":"2026-11-24T04:00:00Z"}
            """;

    @Test
    void auditShouldPrintATableNewestFirstWithTheNextCursor() {
        this.coordinator.json("GET", "/api/v1/audit", 200, PAGE);

        Result result = run("audit");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .containsSubsequence("TIME", "ACTOR", "ACTION", "TARGET", "OUTCOME", "DETAIL")
                .containsSubsequence("operator:abcd1234", "rule.delete", "dashboard:alice", "203.0.113.7", "failure")
                .contains("more: claw-mesh audit --cursor YXVkaXQ6MQ")
                .doesNotContain("\u001b[31m");
    }

    @Test
    void auditWithFiltersShouldSendThemAndTurnADurationIntoAnInstant() {
        this.coordinator.json("GET", "/api/v1/audit", 200, "{\"entries\":[],\"next_cursor\":null}");

        Result result = run("audit --action token.rotate --actor operator --since 2h --limit 5");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("no audit entries");
        assertThat(this.coordinator.last("GET", "/api/v1/audit").query())
                .contains("action=token.rotate")
                .contains("actor=operator")
                .contains("since=2026-11-24T01%3A00%3A00Z")
                .contains("limit=5");
    }

    @Test
    void auditWithJsonShouldPrintThePage() {
        this.coordinator.json("GET", "/api/v1/audit", 200, PAGE);

        Result result = run("audit --output json");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("\"next_cursor\"").contains("\"rule.delete\"");
    }

    @Test
    void auditWithBadOptionsShouldBeAUsageErrorAndCallNothing() {
        assertThat(run("audit --since yesterday").exitCode()).isEqualTo(2);
        assertThat(run("audit --limit 0").exitCode()).isEqualTo(2);
        assertThat(this.coordinator.requests()).isEmpty();
    }

    @Test
    void auditWhenTheCoordinatorRefusesShouldSaySo() {
        this.coordinator.problem("GET", "/api/v1/audit", ProblemType.FORBIDDEN, "use the operator token");

        Result result = run("audit");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("operator token");
    }

    @Test
    void tokenRotateWithAGivenTokenShouldPrintTheNewOneWithWhatToChange() {
        this.coordinator.json("POST", "/api/v1/token/rotate", 200, ROTATED);

        Result result = run("token rotate");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("cmo_new-token")
                .contains("9f8e7d6c")
                .contains("2026-11-24T04:00:00Z")
                .contains("--token");
        assertThat(this.coordinator.last("POST", "/api/v1/token/rotate").header("Authorization"))
                .isEqualTo("Bearer " + FakeCoordinator.TOKEN);
    }

    @Test
    void tokenRotateWithTheLocalTokenFileShouldWriteTheNewTokenThere() throws IOException {
        Path dataDir = Files.createDirectories(HOME.resolve(".claw-mesh"));
        Path file = dataDir.resolve("operator-token");
        Files.writeString(file, "from-the-file\n");
        this.coordinator.json("POST", "/api/v1/token/rotate", 200, ROTATED);
        try {
            Result result = runExactly("token rotate --coordinator " + this.coordinator.url());

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(Files.readString(file).strip()).isEqualTo("cmo_new-token");
            assertThat(result.out()).contains("wrote the new token to " + file).doesNotContain("cmo_new-token");
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void tokenRotateWhenRefusedShouldChangeNoFile() {
        this.coordinator.problem("POST", "/api/v1/token/rotate", ProblemType.FORBIDDEN, "only the current token");

        Result result = run("token rotate");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("only the current token");
    }
}
