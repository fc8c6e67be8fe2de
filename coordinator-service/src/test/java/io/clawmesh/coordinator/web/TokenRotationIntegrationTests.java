package io.clawmesh.coordinator.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.clawmesh.coordinator.MeshProperties;
import io.clawmesh.coordinator.security.MeshSecurityProperties;
import io.clawmesh.coordinator.security.OperatorToken;
import io.clawmesh.coordinator.security.OperatorTokenRepository;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.util.unit.DataSize;

/**
 * {@code POST /api/v1/token/rotate} over real HTTP: who may rotate, the new token at once, the old one inside the
 * overlap window (3 s here) and not after it, and a second coordinator on the same database agreeing.
 */
@TestPropertySource(properties = {"mesh.security.rotation-overlap=3s", "mesh.security.allow-private=true"})
class TokenRotationIntegrationTests extends ApiIntegrationTestSupport {

    private static final String ROTATE = "/api/v1/token/rotate";

    @Autowired
    OperatorTokenRepository repository;

    private int storedTokens() {
        return this.jdbc.queryForObject("SELECT COUNT(*) FROM operator_tokens", Integer.class);
    }

    @Test
    void rotationShouldNeedTheCurrentOperatorTokenAndMoveEveryReplicaToTheNewOneAfterTheOverlap() throws Exception {
        RegisteredNode node = register("rotator", "127.0.0.1:9121");
        assertProblem(http("POST", null, ROTATE, null), 401, "unauthorized");
        assertProblem(http("POST", "cmo_guessed", ROTATE, null), 401, "unauthorized");
        assertProblem(http("POST", node.token(), ROTATE, null), 403, "forbidden");
        assertProblem(http("POST", ApiFixtures.JOIN_TOKEN, ROTATE, null), 403, "forbidden");
        assertProblem(http("GET", ApiFixtures.OPERATOR_TOKEN, ROTATE, null), 405, "method-not-allowed");
        assertThat(storedTokens()).isZero();

        Instant before = Instant.now();
        HttpResponse<String> rotated = http("POST", ApiFixtures.OPERATOR_TOKEN, ROTATE, null);
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        assertThat(rotated.headers().firstValue("Cache-Control"))
                .hasValueSatisfying((v) -> assertThat(v).contains("no-store"));
        String fresh = JsonPath.read(rotated.body(), "$.token");
        Instant until = Instant.parse(JsonPath.read(rotated.body(), "$.previous_valid_until"));
        assertThat(fresh).startsWith("cmo_").isNotEqualTo(ApiFixtures.OPERATOR_TOKEN);
        assertThat(JsonPath.<String>read(rotated.body(), "$.fingerprint")).isEqualTo(OperatorToken.fingerprint(fresh));
        assertThat(until).isBetween(before.plusSeconds(2), before.plusSeconds(10));
        assertThat(this.jdbc.queryForList("SELECT token_hash FROM operator_tokens", String.class))
                .doesNotContain(fresh, ApiFixtures.OPERATOR_TOKEN);

        // the new token at once, the old one still, on this coordinator and on a second one sharing the database
        OperatorToken replica = new OperatorToken(
                new MeshSecurityProperties(
                        ApiFixtures.OPERATOR_TOKEN, null, false, false, DataSize.ofMegabytes(1), Duration.ofSeconds(3)),
                new MeshProperties(dataDir),
                this.repository,
                Clock.systemUTC());
        assertThat(http("GET", fresh, RULES, null).statusCode()).isEqualTo(200);
        assertThat(http("GET", ApiFixtures.OPERATOR_TOKEN, RULES, null).statusCode())
                .isEqualTo(200);
        assertThat(replica.isOperator(fresh)).isTrue();
        assertThat(replica.isOperator(ApiFixtures.OPERATOR_TOKEN)).isTrue();

        // a replaced token may not rotate: it cannot buy itself a new life inside its window
        assertProblem(http("POST", ApiFixtures.OPERATOR_TOKEN, ROTATE, null), 403, "forbidden");

        String audit =
                http("GET", fresh, "/api/v1/audit?action=token.rotate", null).body();
        assertThat(JsonPath.<List<String>>read(audit, "$.entries[*].actor"))
                .containsExactly("operator:" + OperatorToken.fingerprint(ApiFixtures.OPERATOR_TOKEN));
        assertThat(JsonPath.<List<String>>read(audit, "$.entries[*].target"))
                .containsExactly(OperatorToken.fingerprint(fresh));
        assertThat(audit).doesNotContain(fresh);

        Thread.sleep(Math.max(0, Duration.between(Instant.now(), until).toMillis()) + 300);
        assertProblem(http("GET", ApiFixtures.OPERATOR_TOKEN, RULES, null), 401, "unauthorized");
        assertProblem(
                http("POST", ApiFixtures.OPERATOR_TOKEN, "/api/v1/route", "{\"content\":\"hi\"}"), 401, "unauthorized");
        assertThat(replica.isOperator(ApiFixtures.OPERATOR_TOKEN)).isFalse();
        assertThat(http("GET", fresh, RULES, null).statusCode()).isEqualTo(200);
        assertThat(replica.isOperator(fresh)).isTrue();
    }
}
