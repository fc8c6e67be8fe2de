package io.clawmesh.coordinator.web;

import static io.clawmesh.coordinator.web.ApiFixtures.OPERATOR_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import io.clawmesh.coordinator.forwarding.FakeAgent;
import io.clawmesh.coordinator.forwarding.FakeAgent.Reply;
import io.clawmesh.coordinator.registry.InflightTracker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The OpenAI-compatible API (SPEC §21) over real HTTP with fake agents: the completion and chunk shapes, models as
 * places, the session key, errors in OpenAI's shape, and a client that leaves, streamed or plain, aborting the node's
 * run.
 */
class OpenAiApiIntegrationTests extends FrontDoorIntegrationTestSupport {

    @Autowired
    InflightTracker inflight;

    @Test
    void completionShouldAnswerAChatCompletionWithTheNodesReply() {
        FakeAgent alpha = agent("alpha").always(Reply.answer("hello from alpha"));
        register("alpha", alpha.endpoint());
        String client = clientKey("chat-ui");
        String body = "{\"model\":\"mesh/auto\",\"temperature\":0.2,\"user\":\"session-7\",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"be brief\"},"
                + "{\"role\":\"user\",\"content\":\"first\"},"
                + "{\"role\":\"assistant\",\"content\":\"ok\"},"
                + "{\"role\":\"user\",\"content\":["
                + "{\"type\":\"text\",\"text\":\"say\"},{\"type\":\"text\",\"text\":\"hi\"}]}]}";

        HttpResponse<String> response = http("POST", client, CHAT, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String json = response.body();
        assertThat((String) JsonPath.read(json, "$.id")).startsWith("chatcmpl-");
        assertThat((String) JsonPath.read(json, "$.object")).isEqualTo("chat.completion");
        assertThat((String) JsonPath.read(json, "$.model")).isEqualTo("mesh/auto");
        assertThat((String) JsonPath.read(json, "$.choices[0].message.role")).isEqualTo("assistant");
        assertThat((String) JsonPath.read(json, "$.choices[0].message.content")).isEqualTo("hello from alpha");
        assertThat((String) JsonPath.read(json, "$.choices[0].finish_reason")).isEqualTo("stop");
        assertThat((Integer) JsonPath.read(json, "$.usage.total_tokens")).isPositive();
        FakeAgent.Received received = alpha.received().getFirst();
        assertThat((String) JsonPath.read(received.body(), "$.content")).isEqualTo("say\nhi");
        assertThat((String) JsonPath.read(received.body(), "$.session_key")).isEqualTo("session-7");
        assertThat((String) JsonPath.read(received.body(), "$.source")).isEqualTo("openai");
    }

    @Test
    void sessionKeyHeaderShouldBeTheSessionWhenTheBodyHasNoUser() {
        FakeAgent alpha = agent("alpha").always(Reply.answer("ok"));
        register("alpha", alpha.endpoint());

        HttpResponse<String> response =
                http("POST", OPERATOR_TOKEN, CHAT, chat("mesh/auto", "hi", false), Map.of("X-Session-Key", "s-1"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat((String) JsonPath.read(alpha.received().getFirst().body(), "$.session_key"))
                .isEqualTo("s-1");
    }

    @Test
    void streamedCompletionShouldSendRoleThenDeltasThenStopThenDone() {
        FakeAgent alpha = agent("alpha").always(Reply.streamed("Hel", "lo ", "world"));
        register("alpha", alpha.endpoint());
        String client = clientKey("chat-ui");

        HttpResponse<String> response = http("POST", client, CHAT, chat("mesh/node/alpha", "hi", true));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying((type) -> assertThat(type).startsWith("text/event-stream"));
        List<String> data = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            if (line.startsWith("data: ")) {
                data.add(line.substring(6));
            }
        }
        assertThat(data.getLast()).isEqualTo("[DONE]");
        List<String> chunks = data.subList(0, data.size() - 1);
        assertThat(chunks).allSatisfy((chunk) -> {
            assertThat((String) JsonPath.read(chunk, "$.object")).isEqualTo("chat.completion.chunk");
            assertThat((String) JsonPath.read(chunk, "$.model")).isEqualTo("mesh/node/alpha");
        });
        assertThat((String) JsonPath.read(chunks.getFirst(), "$.choices[0].delta.role"))
                .isEqualTo("assistant");
        StringBuilder text = new StringBuilder();
        for (String chunk : chunks.subList(1, chunks.size() - 1)) {
            text.append((String) JsonPath.read(chunk, "$.choices[0].delta.content"));
            assertThat(JsonPath.<Object>read(chunk, "$.choices[0].finish_reason"))
                    .isNull();
        }
        assertThat(text).hasToString("Hello world");
        assertThat((String) JsonPath.read(chunks.getLast(), "$.choices[0].finish_reason"))
                .isEqualTo("stop");
        assertThat(JsonPath.<Map<String, Object>>read(chunks.getLast(), "$.choices[0].delta"))
                .isEmpty();
    }

    @Test
    void modelsShouldListPlacesFilteredByTheKeysModels() {
        register(ApiFixtures.registration("alpha", agent("alpha").endpoint()));
        String all = clientKey("all");
        String nodesOnly = clientKey("nodes-only", List.of("mesh/node/*"), null);

        HttpResponse<String> everything = http("GET", all, MODELS, null);
        HttpResponse<String> some = http("GET", nodesOnly, MODELS, null);

        assertThat((String) JsonPath.read(everything.body(), "$.object")).isEqualTo("list");
        List<String> ids = JsonPath.read(everything.body(), "$.data[*].id");
        assertThat(ids).startsWith("mesh/auto").contains("mesh/node/alpha");
        assertThat(ids).anySatisfy((id) -> assertThat(id).startsWith("mesh/skill/"));
        assertThat((String) JsonPath.read(everything.body(), "$.data[0].object"))
                .isEqualTo("model");
        assertThat(JsonPath.<List<String>>read(some.body(), "$.data[*].id")).containsExactly("mesh/node/alpha");
    }

    @Test
    void skillModelShouldRunOnANodeThatOffersTheSkill() {
        FakeAgent plain = agent("plain").always(Reply.answer("plain"));
        FakeAgent skilled = agent("skilled").always(Reply.answer("skilled"));
        register(ApiFixtures.registrationWithCapability("plain", plain.endpoint(), "skills", List.of()));
        register(ApiFixtures.registrationWithCapability("skilled", skilled.endpoint(), "skills", List.of("python")));

        HttpResponse<String> response = http("POST", OPERATOR_TOKEN, CHAT, chat("mesh/skill/python", "run", false));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat((String) JsonPath.read(response.body(), "$.choices[0].message.content"))
                .isEqualTo("skilled");
        assertThat(plain.received()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4o", "mesh/node/nobody", "mesh/skill/nothing", "mesh/group/gpu", "mesh/", ""})
    void unknownModelShouldAnswer404InOpenAisShape(String model) {
        register("alpha", agent("alpha").always(Reply.answer("x")).endpoint());

        HttpResponse<String> response = http("POST", OPERATOR_TOKEN, CHAT, chat(model, "hi", false));

        if (model.isEmpty()) {
            assertOpenAiError(response, 400, "invalid_input");
        } else {
            assertOpenAiError(response, 404, "model_not_found");
        }
    }

    @Test
    void modelTheKeyMayNotUseShouldAnswer403() {
        register("alpha", agent("alpha").always(Reply.answer("x")).endpoint());
        String client = clientKey("auto-only", List.of("mesh/auto"), null);

        assertOpenAiError(http("POST", client, CHAT, chat("mesh/node/alpha", "hi", false)), 403, "model_not_allowed");
        assertThat(http("POST", client, CHAT, chat("mesh/auto", "hi", false)).statusCode())
                .isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"model\":",
                "[]",
                "{\"model\":42,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "{\"model\":\"mesh/auto\"}",
                "{\"model\":\"mesh/auto\",\"messages\":[]}",
                "{\"model\":\"mesh/auto\",\"messages\":\"hi\"}",
                "{\"model\":\"mesh/auto\",\"messages\":[{\"role\":\"system\",\"content\":\"only system\"}]}",
                "{\"model\":\"mesh/auto\",\"messages\":[{\"role\":\"user\",\"content\":42}]}",
                "{\"model\":\"mesh/auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":\"yes\"}",
                "{\"model\":\"mesh/auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"user\":7}"
            })
    void badBodyShouldAnswer400InOpenAisShapeAndSendNothing(String body) {
        FakeAgent alpha = agent("alpha").always(Reply.answer("x"));
        register("alpha", alpha.endpoint());

        HttpResponse<String> response = http("POST", OPERATOR_TOKEN, CHAT, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat((String) JsonPath.read(response.body(), "$.error.type")).isEqualTo("invalid_request_error");
        assertThat(alpha.received()).isEmpty();
    }

    @Test
    void oversizeBodyShouldAnswer413InOpenAisShape() {
        String body = chat("mesh/auto", "x".repeat(1024 * 1024 + 16), false);

        assertOpenAiError(http("POST", OPERATOR_TOKEN, CHAT, body), 413, "payload_too_large");
    }

    @Test
    void authenticationErrorsShouldHaveOpenAisShape() {
        String node = register("alpha", agent("alpha").endpoint()).token();

        assertOpenAiError(http("GET", null, MODELS, null), 401, "unauthorized");
        assertOpenAiError(http("POST", null, CHAT, chat("mesh/auto", "hi", false)), 401, "unauthorized");
        assertOpenAiError(http("GET", "cmk_wrong", MODELS, null), 401, "unauthorized");
        assertOpenAiError(http("GET", "wrong", MODELS, null), 401, "unauthorized");
        assertOpenAiError(http("GET", node, MODELS, null), 403, "forbidden");
        assertOpenAiError(http("GET", ApiFixtures.JOIN_TOKEN, MODELS, null), 403, "forbidden");
        assertOpenAiError(http("GET", OPERATOR_TOKEN, "/v1/embeddings", null), 404, "not_found");
    }

    @Test
    void noNodeShouldAnswer503AndAFailingNode502InOpenAisShape() {
        assertOpenAiError(http("POST", OPERATOR_TOKEN, CHAT, chat("mesh/auto", "hi", false)), 503, "no_route");

        register(
                "broken",
                agent("broken").always(Reply.problem(500, "runtime broke")).endpoint());
        HttpResponse<String> failed = http("POST", OPERATOR_TOKEN, CHAT, chat("mesh/auto", "hi", false));
        assertThat(failed.statusCode()).as(failed.body()).isBetween(502, 503);
        assertThat((String) JsonPath.read(failed.body(), "$.error.type")).isEqualTo("server_error");
    }

    @Test
    void clientThatLeavesAStreamShouldAbortTheRunOnTheNode() throws Exception {
        FakeAgent endless = agent("endless").always(Reply.streamedWithoutEnd("more ", "first "));
        String endlessId = register("endless", endless.endpoint()).id();
        byte[] body = chat("mesh/auto", "go on", true).getBytes(StandardCharsets.UTF_8);

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + CHAT + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + OPERATOR_TOKEN
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            BufferedReader reader =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line = reader.readLine();
            assertThat(line).startsWith("HTTP/1.1 200");
            while (line != null && !line.contains("\"content\":\"more \"")) {
                line = reader.readLine();
            }
            assertThat(line).as("the stream is running").isNotNull();
            assertThat(this.inflight.get(endlessId)).isOne();
        }

        await().atMost(10, TimeUnit.SECONDS).until(() -> this.inflight.total() == 0);
        await().atMost(10, TimeUnit.SECONDS).until(() -> endless.abandonedStreams() == 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json;charset=ISO-8859-1"})
    void clientThatLeavesAPlainCompletionShouldAbortTheRunOnTheNode(String contentType) throws Exception {
        // UTF-8 JSON takes the front door's fast path, ISO-8859-1 the security chain and the controller
        FakeAgent endless = agent("endless").always(Reply.streamedWithoutEnd("more ", "first "));
        String endlessId = register("endless", endless.endpoint()).id();
        byte[] body = chat("mesh/auto", "go on", false).getBytes(StandardCharsets.UTF_8);

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + CHAT + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + OPERATOR_TOKEN
                            + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            await().atMost(10, TimeUnit.SECONDS).until(() -> this.inflight.get(endlessId) == 1);
            await().atMost(10, TimeUnit.SECONDS).until(() -> !endless.received().isEmpty());
            Thread.sleep(3 * 200); // a few of the watcher's checks: a client that waits is left alone
            assertThat(endless.canceled())
                    .as("the run goes on while the client waits")
                    .isEmpty();
        }

        FakeAgent.Received message = endless.received().getFirst();
        assertThat(message.headers().get("Accept"))
                .as("the whole answer as JSON, the hop of POST /api/v1/route")
                .isEqualTo("application/json");
        await().atMost(10, TimeUnit.SECONDS).until(() -> this.inflight.total() == 0);
        assertThat(endless.canceled())
                .as("the run canceled on the node by its message id")
                .containsExactly(message.messageId());
        assertThat(endless.received()).as("never sent again, here or elsewhere").hasSize(1);
        assertThat(this.messageLog.recent(1000))
                .filteredOn((record) -> record.status() == 499)
                .as("logged as a message whose client closed the request")
                .hasSize(1);
    }

    @Test
    void plainCompletionShouldAskTheNodeForItsWholeAnswerAsJson() {
        FakeAgent alpha = agent("alpha").always(Reply.answer("Hello world"));
        register("alpha", alpha.endpoint());

        HttpResponse<String> response = http("POST", clientKey("chat-ui"), CHAT, chat("mesh/auto", "hi", false));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat((String) JsonPath.read(response.body(), "$.choices[0].message.content"))
                .isEqualTo("Hello world");
        assertThat(alpha.received().getFirst().headers().get("Accept"))
                .as("the hop of POST /api/v1/route, not a stream")
                .isEqualTo("application/json");
        assertThat(alpha.canceled()).isEmpty();
    }
}
