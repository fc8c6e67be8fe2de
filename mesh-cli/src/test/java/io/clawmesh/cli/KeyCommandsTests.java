package io.clawmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.clawmesh.common.problem.ProblemType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.shell.test.ShellAssertions;
import tools.jackson.databind.json.JsonMapper;

class KeyCommandsTests extends CliTestSupport {

    private static final String KEY = "{\"id\":\"key-0011223344556677\",\"name\":\"chat-ui\","
            + "\"models\":[\"mesh/auto\",\"mesh/node/*\"],\"rate_per_minute\":60,"
            + "\"created_at\":\"2026-11-23T22:00:00Z\",\"revoked_at\":null,\"last_used_at\":null,\"use_count\":0}";

    private static final String SECRET = "cmk_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void keyCreateShouldSendModelsAndRateAndPrintTheSecretOnce() throws Exception {
        this.coordinator.json("POST", "/api/v1/keys", 201, "{\"key\":" + KEY + ",\"secret\":\"" + SECRET + "\"}");

        Result result = run("key create chat-ui --models mesh/auto,mesh/node/* --rate 60/min");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("created client key chat-ui (key-0011223344556677)")
                .contains("secret: " + SECRET)
                .contains("shown only this once");
        Map<String, Object> body = this.json.readValue(
                this.coordinator.last("POST", "/api/v1/keys").body(), Map.class);
        assertThat(body)
                .containsEntry("name", "chat-ui")
                .containsEntry("models", List.of("mesh/auto", "mesh/node/*"))
                .containsEntry("rate_per_minute", 60);
    }

    @Test
    void keyCreateWithJsonShouldPrintTheKeyAndSecret() {
        this.coordinator.json("POST", "/api/v1/keys", 201, "{\"key\":" + KEY + ",\"secret\":\"" + SECRET + "\"}");

        Map<String, Object> printed =
                this.json.readValue(run("key create chat-ui -o json").out(), Map.class);

        assertThat(printed).containsEntry("secret", SECRET);
    }

    @Test
    void keyCreateWithABadRateShouldBeAUsageErrorAndSendNothing() {
        Result result = run("key create chat-ui --rate fast");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--rate must be a number of requests a minute");
        assertThat(this.coordinator.requests()).isEmpty();
    }

    @Test
    void keyCreateWithATakenNameShouldShowTheCoordinatorsReason() {
        this.coordinator.problem(
                "POST", "/api/v1/keys", ProblemType.KEY_NAME_CONFLICT, "a client key named 'chat-ui' exists already");

        Result result = run("key create chat-ui");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("a client key named 'chat-ui' exists already");
    }

    @Test
    void keyListShouldPrintATableWithoutSecrets() throws Exception {
        this.coordinator.json("GET", "/api/v1/keys", 200, "[" + KEY + "]");

        var screen = shell("key list");

        ShellAssertions.assertThat(screen)
                .containsText("NAME")
                .containsText("chat-ui")
                .containsText("mesh/auto,mesh/node/*")
                .containsText("60/min")
                .containsText("active");
    }

    @Test
    void keyRevokeShouldDeleteByName() {
        this.coordinator.json(
                "DELETE",
                "/api/v1/keys/chat-ui",
                200,
                KEY.replace("\"revoked_at\":null", "\"revoked_at\":\"2026-11-23T22:30:00Z\""));

        Result result = run("key revoke chat-ui");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("revoked client key chat-ui (key-0011223344556677)\n");
    }

    @Test
    void helpShouldExplainKeyCreate() throws Exception {
        ShellAssertions.assertThat(shell("help key create"))
                .containsText("--models")
                .containsText("--rate");
    }
}
