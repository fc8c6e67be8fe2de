package io.clawmesh.agent.runtime.openclaw;

import io.clawmesh.agent.AgentProperties;
import io.clawmesh.agent.runtime.RuntimeRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/** Runtimes, settings and requests for the OpenClaw tests, with waits short enough for unit tests. */
final class OpenClawFixtures {

    static final String TOKEN = "fake-gateway-token";

    static final OpenClawTimings FAST = new OpenClawTimings(
            Duration.ofSeconds(2),
            Duration.ofMillis(50),
            Duration.ofMillis(400),
            Duration.ofSeconds(2),
            Duration.ofMillis(300),
            Duration.ofMillis(100),
            Duration.ofSeconds(1),
            Duration.ofMillis(100),
            Duration.ofMillis(500));

    private OpenClawFixtures() {}

    static OpenClawRuntime runtime(
            FakeOpenClawGateway gateway, OpenClawSettings.Transport transport, @Nullable String token) {
        OpenClawSettings settings = new OpenClawSettings(
                URI.create("http://" + gateway.endpoint()), token, transport, Duration.ofSeconds(20), "test");
        OpenClawRuntime runtime = new OpenClawRuntime(settings, FAST, Clock.systemUTC(), RandomGenerator.getDefault());
        runtime.start();
        return runtime;
    }

    static RuntimeRequest request(String id, String content, @Nullable String sessionKey) {
        return new RuntimeRequest(id, content, "test", sessionKey, Instant.now().plusSeconds(20));
    }

    static RuntimeRequest request(String id, String content, @Nullable String sessionKey, Duration timeout) {
        return new RuntimeRequest(id, content, "test", sessionKey, Instant.now().plus(timeout));
    }

    static AgentProperties properties(
            @Nullable String endpoint, @Nullable String token, String transport, @Nullable String runtime) {
        return new AgentProperties(
                "http://127.0.0.1:9180",
                "node",
                List.of(),
                null,
                null,
                null,
                null,
                4,
                Duration.ofSeconds(15),
                Duration.ofSeconds(1),
                Duration.ofSeconds(60),
                Duration.ofSeconds(30),
                false,
                Duration.ofSeconds(60),
                Duration.ofMinutes(5),
                runtime,
                endpoint,
                token,
                transport,
                false,
                false,
                null,
                null,
                null,
                null,
                null,
                Duration.ofHours(1));
    }
}
