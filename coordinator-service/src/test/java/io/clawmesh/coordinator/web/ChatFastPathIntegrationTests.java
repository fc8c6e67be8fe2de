package io.clawmesh.coordinator.web;

import static io.clawmesh.coordinator.web.ApiFixtures.OPERATOR_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mockingDetails;

import io.clawmesh.coordinator.forwarding.FakeAgent.Reply;
import io.clawmesh.coordinator.keys.KeyUsage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

/**
 * The front door's fast path ({@code ChatCompletionFilter}) against the general path (security chain, Spring MVC and
 * {@code ChatCompletionsController}) over real HTTP: for every kind of caller and for good and bad requests, the same
 * request gets the same status, headers and body from both, and the fast path is really the one taken where it should
 * be. Every response header is compared but {@code Date} and the body's framing; in bodies the completion's random
 * id and its creation second are masked. The general path is reached with a body declared as ISO-8859-1 (plain ASCII
 * here, so the bytes are the same), which the fast path leaves alone.
 */
class ChatFastPathIntegrationTests extends FrontDoorIntegrationTestSupport {

    private static final String FAST = "application/json";

    private static final String GENERAL = "application/json;charset=ISO-8859-1";

    /**
     * Headers that differ between any two answers, or by how the body is framed (the fast path sends a
     * {@code Content-Length}, Spring MVC chunks); every other header is compared.
     */
    private static final Set<String> IGNORED_HEADERS = Set.of("date", "content-length", "transfer-encoding");

    private final HttpClient client = HttpClient.newHttpClient();

    @Autowired
    KeyUsage usage;

    /** {@code ChatCompletionsController}, which is package-private in its feature. */
    @MockitoSpyBean(name = "chatCompletionsController")
    Object controller;

    @BeforeEach
    void twoEchoAgentsAndASpiedController() {
        register(ApiFixtures.registrationWithCapability(
                "alpha", agent("alpha").always(Reply.answer("pong")).endpoint(), "skills", List.of("python")));
        register("beta", agent("beta").always(Reply.answer("pong")).endpoint());
        clearInvocations(this.controller);
    }

    @Test
    void fastPathShouldAnswerEveryCallersCompletionsExactlyAsTheGeneralPath() throws Exception {
        String all = clientKey("all");
        String nodesOnly = clientKey("nodes-only", List.of("mesh/node/*"), null);
        String[] callers = {OPERATOR_TOKEN, all, nodesOnly};
        List<String> bodies = List.of(
                chat("mesh/auto", "ping", false),
                chat("mesh/node/alpha", "ping", false),
                chat("mesh/node/beta", "ping", false),
                chat("mesh/skill/python", "ping", false),
                "{\"model\":\"mesh/auto\",\"user\":\"s-1\",\"temperature\":0.1,\"messages\":["
                        + "{\"role\":\"system\",\"content\":\"brief\"},{\"role\":\"user\",\"content\":["
                        + "{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]}]}",
                chat("mesh/node/nobody", "ping", false),
                chat("mesh/skill/nothing", "ping", false),
                chat("mesh/group/gpu", "ping", false),
                chat("gpt-4o", "ping", false),
                "{\"model\":",
                "[]",
                "null",
                "",
                "{\"model\":\"mesh/auto\"} trailing",
                "{\"model\":42,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "{\"model\":\"mesh/auto\",\"messages\":[]}",
                "{\"model\":\"mesh/auto\",\"messages\":[{\"role\":\"system\",\"content\":\"only system\"}]}",
                "{\"model\":\"mesh/auto\",\"messages\":[{\"role\":\"user\",\"content\":42}]}",
                "{\"model\":\"mesh/auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":\"yes\"}",
                "{\"model\":\"mesh/auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"user\":7}");
        for (String caller : callers) {
            for (String body : bodies) {
                Answer fast = send(FAST, caller, body, Map.of());
                assertThat(controllerCalls())
                        .as("the fast path served %s", body)
                        .isZero();
                Answer general = send(GENERAL, caller, body, Map.of());
                clearInvocations(this.controller);
                assertThat(fast).as(body).isEqualTo(general);
            }
        }
        String toAlpha = chat("mesh/node/alpha", "ping", false);
        Answer header = send(FAST, all, toAlpha, Map.of("X-Session-Key", "s-9"));
        assertThat(controllerCalls()).isZero();
        assertThat(this.agents.getFirst().received().getLast().body()).contains("\"session_key\":\"s-9\"");
        assertThat(header).isEqualTo(send(GENERAL, all, toAlpha, Map.of("X-Session-Key", "s-9")));
    }

    @Test
    void aModelOutsideTheKeysScopeShouldBeRefusedAlikeOnBothPaths() throws Exception {
        String autoOnly = clientKey("auto-only", List.of("mesh/auto"), null);

        Answer fast = send(FAST, autoOnly, chat("mesh/node/alpha", "ping", false), Map.of());
        Answer general = send(GENERAL, autoOnly, chat("mesh/node/alpha", "ping", false), Map.of());

        assertThat(fast.status()).isEqualTo(403);
        assertThat(fast.body()).contains("\"code\":\"model_not_allowed\"");
        assertThat(fast).isEqualTo(general);
    }

    @Test
    void aRateLimitedKeyShouldBeRefusedAlikeOnBothPathsAndEveryUseCounted() throws Exception {
        String limited = clientKey("limited", null, 2);

        Answer fast = send(FAST, limited, chat("mesh/auto", "ping", false), Map.of());
        Answer general = send(GENERAL, limited, chat("mesh/auto", "ping", false), Map.of());
        Answer fastRefused = send(FAST, limited, chat("mesh/auto", "ping", false), Map.of());
        Answer generalRefused = send(GENERAL, limited, chat("mesh/auto", "ping", false), Map.of());

        assertThat(fast.status()).isEqualTo(200);
        assertThat(fast).isEqualTo(general);
        assertThat(fastRefused.status()).isEqualTo(429);
        assertThat(fastRefused.headers()).containsKey("retry-after");
        assertThat(fastRefused.body()).contains("\"code\":\"rate_limited\"");
        assertThat(fastRefused).isEqualTo(generalRefused);
        this.usage.flush();
        assertThat(this.jdbc.queryForObject("SELECT use_count FROM client_keys WHERE name = 'limited'", Long.class))
                .as("the two answered uses, not the refused ones")
                .isEqualTo(2);
    }

    @Test
    void tokensTheFastPathDoesNotKnowShouldBeLeftToTheSecurityChain() throws Exception {
        String revoked = clientKey("revoked");
        assertThat(send(FAST, revoked, chat("mesh/auto", "ping", false), Map.of())
                        .status())
                .isEqualTo(200);
        assertThat(http("DELETE", OPERATOR_TOKEN, KEYS + "/revoked", null).statusCode())
                .isEqualTo(200);
        clearInvocations(this.controller);
        String node = register("gamma", agent("gamma").endpoint()).token();

        assertChainAnswer(revoked, 401, "unauthorized");
        assertChainAnswer("cmk_not-a-key", 401, "unauthorized");
        assertChainAnswer("cmo_not-the-token", 401, "unauthorized");
        assertChainAnswer(null, 401, "unauthorized");
        assertChainAnswer(node, 403, "forbidden");
        assertChainAnswer(ApiFixtures.JOIN_TOKEN, 403, "forbidden");
        assertThat(controllerCalls()).isZero();
    }

    @Test
    void aStreamedCompletionShouldTakeTheGeneralPathAndCountTheKeyOnce() throws Exception {
        String once = clientKey("once", null, 1);

        Answer streamed = send(FAST, once, chat("mesh/auto", "ping", true), Map.of());

        assertThat(streamed.status()).as(streamed.body()).isEqualTo(200);
        assertThat(streamed.headers().get("content-type")).startsWith("text/event-stream");
        assertThat(streamed.body()).contains("\"content\":\"pong\"").endsWith("data: [DONE]\n\n");
        assertThat(controllerCalls()).as("the controller streamed it").isOne();
        assertThat(send(FAST, once, chat("mesh/auto", "ping", false), Map.of()).status())
                .as("the stream used the key's one request a minute")
                .isEqualTo(429);
    }

    @Test
    void otherRequestShapesShouldTakeTheGeneralPath() throws Exception {
        send(FAST, OPERATOR_TOKEN, chat("mesh/auto", "ping", false), Map.of("Accept", "text/event-stream"));
        Answer query = send(CHAT + "?x=1", FAST, OPERATOR_TOKEN, chat("mesh/auto", "ping", false), Map.of());
        Answer text = send(CHAT, "text/plain", OPERATOR_TOKEN, "ping", Map.of());

        assertThat(query.status()).as(query.body()).isEqualTo(200);
        assertThat(text.status()).isEqualTo(415);
        assertThat(text.body()).contains("\"error\":");
        assertThat(controllerCalls())
                .as("the event stream and the query reached the controller")
                .isEqualTo(2);
    }

    @Test
    void whatTheFirewallRefusesShouldStillBeRefused() throws Exception {
        String body = chat("mesh/auto", "ping", false);

        // a raw socket, because HTTP clients refuse to send control characters in header values
        assertThat(rawStatusLine("Bearer " + OPERATOR_TOKEN + "\u0001", Map.of(), body))
                .contains(" 400 ");
        assertThat(rawStatusLine("Bearer " + OPERATOR_TOKEN, Map.of("X-Session-Key", "s\u0001"), body))
                .contains(" 400 ");
        assertThat(this.agents.getFirst().received()).isEmpty();
        assertThat(this.agents.getLast().received()).isEmpty();
        assertThat(controllerCalls()).isZero();
    }

    /** Sends one request exactly as written and returns the status line of the answer. */
    private String rawStatusLine(String authorization, Map<String, String> headers, String body) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder("POST " + CHAT + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            request.append("Authorization: ").append(authorization).append("\r\n");
            headers.forEach((name, value) ->
                    request.append(name).append(": ").append(value).append("\r\n"));
            request.append("Content-Type: application/json\r\nContent-Length: ")
                    .append(body.length())
                    .append("\r\nConnection: close\r\n\r\n")
                    .append(body);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            BufferedReader reader =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            return String.valueOf(reader.readLine());
        }
    }

    private void assertChainAnswer(@Nullable String token, int status, String code) throws Exception {
        Answer fast = send(FAST, token, chat("mesh/auto", "ping", false), Map.of());
        Answer general = send(GENERAL, token, chat("mesh/auto", "ping", false), Map.of());
        assertThat(fast.status()).as(fast.body()).isEqualTo(status);
        assertThat(fast.body()).contains("\"code\":\"" + code + "\"");
        assertThat(fast).isEqualTo(general);
    }

    private int controllerCalls() {
        return mockingDetails(this.controller).getInvocations().size();
    }

    private Answer send(String contentType, @Nullable String token, String body, Map<String, String> headers)
            throws Exception {
        return send(CHAT, contentType, token, body, headers);
    }

    private Answer send(
            String path, String contentType, @Nullable String token, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
                .header("Content-Type", contentType)
                .POST(BodyPublishers.ofString(body, StandardCharsets.US_ASCII));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        HttpResponse<String> response = this.client.send(request.build(), BodyHandlers.ofString());
        Map<String, String> answerHeaders = new TreeMap<>();
        response.headers().map().forEach((header, values) -> {
            if (!IGNORED_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
                answerHeaders.put(header.toLowerCase(Locale.ROOT), String.join(", ", values));
            }
        });
        String normalized = response.body()
                .replaceAll("chatcmpl-[0-9a-f]+", "chatcmpl-*")
                .replaceAll("\"created\":[0-9]+", "\"created\":0");
        return new Answer(response.statusCode(), answerHeaders, normalized);
    }

    /** What a client sees of one answer, with the per-completion id and time masked. */
    record Answer(int status, Map<String, String> headers, String body) {}
}
