package io.clawmesh.agent.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

import io.clawmesh.common.link.LinkFrame;
import io.clawmesh.common.node.ConnectMode;
import java.io.OutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class LinkedExchangeTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RecordingSocket socket = new RecordingSocket();

    private final FrameSender sender = new FrameSender(this.socket, JSON, Duration.ofSeconds(1));

    @Test
    void answerWhenLargerThanAPieceShouldGoUpAsResponseBoundedPiecesAndEnd() throws Exception {
        LinkedExchange exchange = exchange();
        String reply = "ä€😀x".repeat(LinkFrame.MAX_DATA_CHARS);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(reply.getBytes(StandardCharsets.UTF_8));
        }
        exchange.close();

        List<LinkFrame> frames = this.socket.frames();
        assertThat(frames.getFirst().type()).isEqualTo(LinkFrame.RESPONSE);
        assertThat(frames.getFirst().status()).isEqualTo(200);
        assertThat(frames.getFirst().headers()).containsEntry("Content-type", "application/json");
        assertThat(frames.getLast().type()).isEqualTo(LinkFrame.END);
        List<LinkFrame> pieces = frames.subList(1, frames.size() - 1);
        assertThat(pieces).hasSizeGreaterThan(4).allSatisfy((frame) -> {
            assertThat(frame.type()).isEqualTo(LinkFrame.BODY);
            assertThat(frame.data().length()).isLessThanOrEqualTo(LinkFrame.MAX_DATA_CHARS);
        });
        assertThat(pieces.stream().map(LinkFrame::data).reduce("", String::concat))
                .isEqualTo(reply);
    }

    @Test
    void flushWhenStreamingShouldSendWhatWasWrittenAtOnce() throws Exception {
        LinkedExchange exchange = exchange();
        exchange.sendResponseHeaders(200, 0);
        OutputStream body = exchange.getResponseBody();
        body.write("event: delta\n\n".getBytes(StandardCharsets.UTF_8));
        body.flush();
        assertThat(this.socket.frames())
                .extracting(LinkFrame::type)
                .containsExactly(LinkFrame.RESPONSE, LinkFrame.BODY);
        assertThat(this.socket.frames().getLast().data()).isEqualTo("event: delta\n\n");
    }

    @Test
    void writeWhenTheCoordinatorResetTheExchangeShouldFailLikeAClosedConnection() throws Exception {
        LinkedExchange exchange = exchange();
        exchange.sendResponseHeaders(200, 0);
        exchange.reset();
        assertThatIOException().isThrownBy(() -> exchange.getResponseBody().write(1));
    }

    @Test
    void closeWithoutAnAnswerShouldResetTheExchange() {
        LinkedExchange exchange = exchange();
        exchange.close();
        assertThat(this.socket.frames()).extracting(LinkFrame::type).containsExactly(LinkFrame.RESET);
    }

    @Test
    void requestBodyWhenOverTheLimitShouldBeRefused() throws Exception {
        LinkedExchange exchange = exchange();
        assertThat(exchange.append("{\"content\":", 20)).isTrue();
        assertThat(exchange.append("\"far too long for the limit\"}", 20)).isFalse();
        assertThat(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("{\"content\":");
    }

    @Test
    void answerToAVersion1RequestShouldStayInVersion1Frames() throws Exception {
        LinkedExchange exchange = exchange();
        exchange.sendResponseHeaders(200, 2);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write("{}".getBytes(StandardCharsets.UTF_8));
        }
        exchange.close();
        assertThat(this.socket.frames())
                .extracting(LinkFrame::type)
                .containsExactly(LinkFrame.RESPONSE, LinkFrame.BODY, LinkFrame.END);
        assertThat(this.socket.frames())
                .allSatisfy((frame) -> assertThat(frame.last()).isNull());
        assertThat(this.socket.sent.getFirst()).doesNotContain("\"last\"");
    }

    @Test
    void smallAnswerToAVersion2RequestShouldBeOneFrame() throws Exception {
        LinkedExchange exchange = compactExchange();
        String reply = "{\"response\":\"ä€😀\"}";
        byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        assertThat(this.socket.frames()).as("the head waits for the body").isEmpty();
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(bytes);
        }
        exchange.close();

        assertThat(this.socket.frames()).singleElement().satisfies((frame) -> {
            assertThat(frame.type()).isEqualTo(LinkFrame.RESPONSE);
            assertThat(frame.status()).isEqualTo(200);
            assertThat(frame.headers()).containsEntry("Content-type", "application/json");
            assertThat(frame.data()).isEqualTo(reply);
            assertThat(frame.last()).isTrue();
        });
    }

    @Test
    void answerWithoutBodyToAVersion2RequestShouldBeOneFrameWithoutData() throws Exception {
        LinkedExchange exchange = compactExchange();
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
        assertThat(this.socket.frames()).singleElement().satisfies((frame) -> {
            assertThat(frame.type()).isEqualTo(LinkFrame.RESPONSE);
            assertThat(frame.status()).isEqualTo(204);
            assertThat(frame.data()).isNull();
            assertThat(frame.last()).isTrue();
        });
    }

    @Test
    void largeAnswerToAVersion2RequestShouldCarryTheFirstPieceOnTheHeadAndEndOnTheLastPiece() throws Exception {
        LinkedExchange exchange = compactExchange();
        String reply = "ä€😀x".repeat(LinkFrame.MAX_DATA_CHARS);
        byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(bytes);
        }
        exchange.close();

        List<LinkFrame> frames = this.socket.frames();
        assertThat(frames.getFirst().type()).isEqualTo(LinkFrame.RESPONSE);
        assertThat(frames.getFirst().data()).isNotEmpty();
        assertThat(frames.getFirst().ends()).isFalse();
        LinkFrame last = frames.getLast();
        assertThat(last.ends() || LinkFrame.END.equals(last.type()))
                .as("the last frame ends the body")
                .isTrue();
        assertThat(frames.subList(1, frames.size() - 1)).hasSizeGreaterThan(3).allSatisfy((frame) -> {
            assertThat(frame.type()).isEqualTo(LinkFrame.BODY);
            assertThat(frame.ends()).isFalse();
            assertThat(frame.data().length()).isLessThanOrEqualTo(LinkFrame.MAX_DATA_CHARS);
        });
        assertThat(frames.stream()
                        .map(LinkFrame::data)
                        .filter(java.util.Objects::nonNull)
                        .reduce("", String::concat))
                .isEqualTo(reply);
    }

    @Test
    void streamedAnswerToAVersion2RequestShouldSendItsHeadAtOnceAndEachEventAtItsFlush() throws Exception {
        LinkedExchange exchange = compactExchange();
        exchange.sendResponseHeaders(200, 0);
        assertThat(this.socket.frames()).extracting(LinkFrame::type).containsExactly(LinkFrame.RESPONSE);
        OutputStream body = exchange.getResponseBody();
        body.write("event: delta\n\n".getBytes(StandardCharsets.UTF_8));
        body.flush();
        assertThat(this.socket.frames().getLast().data()).isEqualTo("event: delta\n\n");
        exchange.close();
        assertThat(this.socket.frames())
                .extracting(LinkFrame::type)
                .containsExactly(LinkFrame.RESPONSE, LinkFrame.BODY, LinkFrame.END);
    }

    @Test
    void flushOfAHeldHeadShouldSendTheHeadAtOnce() throws Exception {
        LinkedExchange exchange = compactExchange();
        exchange.sendResponseHeaders(200, 10);
        exchange.getResponseBody().flush();
        assertThat(this.socket.frames()).singleElement().satisfies((frame) -> {
            assertThat(frame.type()).isEqualTo(LinkFrame.RESPONSE);
            assertThat(frame.data()).isNull();
            assertThat(frame.ends()).isFalse();
        });
        exchange.getResponseBody().write("0123456789".getBytes(StandardCharsets.UTF_8));
        exchange.close();
        assertThat(this.socket.frames().getLast()).satisfies((frame) -> {
            assertThat(frame.type()).isEqualTo(LinkFrame.BODY);
            assertThat(frame.data()).isEqualTo("0123456789");
            assertThat(frame.ends()).isTrue();
        });
    }

    @Test
    void version2FramesShouldSurviveJsonBothWays() {
        LinkFrame request = LinkFrame.request("x1", "POST", "/p", Map.of("A", "b"), "{\"k\":\"\\u0000\"}", true);
        assertThat(JSON.readValue(JSON.writeValueAsString(request), LinkFrame.class))
                .isEqualTo(request);
        LinkFrame notLast = LinkFrame.request("x1", "POST", "/p", Map.of(), null, false);
        assertThat(JSON.writeValueAsString(notLast)).contains("\"last\":false").doesNotContain("data");
        assertThat(JSON.readValue(JSON.writeValueAsString(notLast), LinkFrame.class)
                        .last())
                .isFalse();
        assertThat(JSON.writeValueAsString(LinkFrame.of(LinkFrame.END, "x1"))).doesNotContain("last");
    }

    @Test
    void connectUriShouldFollowTheCoordinatorsScheme() {
        assertThat(LinkSupervisor.connectUri("http://10.0.0.1:9180", "node-1"))
                .hasToString("ws://10.0.0.1:9180/api/v1/nodes/node-1/connect");
        assertThat(LinkSupervisor.connectUri("https://mesh.example", "node-1"))
                .hasToString("wss://mesh.example/api/v1/nodes/node-1/connect");
        assertThat(ConnectMode.fromWire("outbound")).isEqualTo(ConnectMode.OUTBOUND);
    }

    /** A request as a coordinator that speaks link version 2 sends it. */
    private LinkedExchange compactExchange() {
        return new LinkedExchange(
                LinkFrame.request("x1", "POST", "/api/v1/messages", Map.of("Accept", "application/json"), "{}", true),
                this.sender);
    }

    private LinkedExchange exchange() {
        return new LinkedExchange(
                LinkFrame.request("x1", "POST", "/api/v1/messages", Map.of("Accept", "application/json")), this.sender);
    }

    /** A socket that keeps what was sent. */
    private static final class RecordingSocket implements WebSocket {

        private final List<String> sent = new CopyOnWriteArrayList<>();

        List<LinkFrame> frames() {
            return this.sent.stream()
                    .map((text) -> JSON.readValue(text, LinkFrame.class))
                    .toList();
        }

        @Override
        public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
            this.sent.add(data.toString());
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public void request(long n) {}

        @Override
        public String getSubprotocol() {
            return "";
        }

        @Override
        public boolean isOutputClosed() {
            return false;
        }

        @Override
        public boolean isInputClosed() {
            return false;
        }

        @Override
        public void abort() {}
    }
}
