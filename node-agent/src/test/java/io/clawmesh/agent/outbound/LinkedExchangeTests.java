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
    void connectUriShouldFollowTheCoordinatorsScheme() {
        assertThat(LinkSupervisor.connectUri("http://10.0.0.1:9180", "node-1"))
                .hasToString("ws://10.0.0.1:9180/api/v1/nodes/node-1/connect");
        assertThat(LinkSupervisor.connectUri("https://mesh.example", "node-1"))
                .hasToString("wss://mesh.example/api/v1/nodes/node-1/connect");
        assertThat(ConnectMode.fromWire("outbound")).isEqualTo(ConnectMode.OUTBOUND);
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
