package io.clawmesh.coordinator.forwarding;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.clawmesh.common.api.ApiPaths;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * A node agent on loopback that answers {@code POST /api/v1/messages} as a test scripts it, and records every request
 * it received. Replies queued with {@link #once} are used first, then the {@link #always} reply. It also answers
 * {@code DELETE /api/v1/messages/{id}} as an agent does: 204 for a message it is still answering (an endless stream
 * then ends at once, as a canceled run does), 404 for any other.
 */
public final class FakeAgent implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final String EVENT_STREAM = "text/event-stream";

    /** The pause before each streamed delta, as a runtime's tokens arrive. */
    static final Duration PACE = Duration.ofMillis(20);

    private final HttpServer server;

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private final Queue<Reply> once = new ConcurrentLinkedQueue<>();

    private final List<Received> received = new CopyOnWriteArrayList<>();

    /** Held replies wait on this gate; closing the agent opens it, so no handler outlives a test. */
    private final CountDownLatch gate = new CountDownLatch(1);

    private final String name;

    private volatile Reply always;

    private final AtomicInteger abandonedStreams = new AtomicInteger();

    /** The ids of the messages being answered now. */
    private final Set<String> answering = ConcurrentHashMap.newKeySet();

    /** The ids of the messages canceled while they were being answered, in order. */
    private final List<String> canceled = new CopyOnWriteArrayList<>();

    private volatile boolean closed;

    private FakeAgent(String name) throws IOException {
        this.name = name;
        this.always = Reply.answer("answer from " + name);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.server.createContext(ApiPaths.AGENT_MESSAGES, this::handle);
        this.server.setExecutor(this.executor);
        this.server.start();
    }

    /** Starts an agent that answers every message with "answer from {name}". */
    public static FakeAgent start(String name) {
        try {
            return new FakeAgent(name);
        } catch (IOException ex) {
            throw new IllegalStateException("could not start a fake agent", ex);
        }
    }

    /** An endpoint on loopback where nothing listens: connections to it are refused. */
    public static String deadEndpoint() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + socket.getLocalPort();
        } catch (IOException ex) {
            throw new IllegalStateException("no free port", ex);
        }
    }

    /** How many streams the client dropped while this agent was still sending. */
    public int abandonedStreams() {
        return this.abandonedStreams.get();
    }

    /** The ids of the messages canceled while this agent was answering them. */
    public List<String> canceled() {
        return List.copyOf(this.canceled);
    }

    /** Replies this way to every message not taken by a {@link #once} reply. */
    public FakeAgent always(Reply reply) {
        this.always = reply;
        return this;
    }

    /** Replies this way to the next message only. */
    FakeAgent once(Reply reply) {
        this.once.add(reply);
        return this;
    }

    /** Lets held replies answer now. */
    public void release() {
        this.gate.countDown();
    }

    String name() {
        return this.name;
    }

    public int port() {
        return this.server.getAddress().getPort();
    }

    public String endpoint() {
        return "127.0.0.1:" + port();
    }

    public List<Received> received() {
        return List.copyOf(this.received);
    }

    public List<String> receivedMessageIds() {
        return this.received.stream().map(Received::messageId).toList();
    }

    @Override
    public void close() {
        this.closed = true;
        this.gate.countDown();
        this.server.stop(0);
        this.executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        if (exchange.getRequestMethod().equals("DELETE")) {
            cancel(exchange);
            return;
        }
        String answered = null;
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Received request = received(exchange, body);
            answered = request.messageId();
            this.answering.add(answered);
            this.received.add(request);
            Reply reply = this.once.poll();
            if (reply == null) {
                reply = this.always;
            }
            if (reply.hold() != null) {
                // Held for its whole time, it answers anyway: the client has usually given up by then.
                this.gate.await(reply.hold().toMillis(), TimeUnit.MILLISECONDS);
            }
            if (reply.status() == 0) {
                // Closing before any header was sent drops the connection without an answer.
                return;
            }
            if (reply.events() != null) {
                sendEvents(exchange, request, reply.events());
                return;
            }
            if (reply.streamsForever()) {
                sendEndless(exchange, reply.status());
                return;
            }
            if (reply.breaksOff()) {
                sendBrokenOff(exchange, reply.status(), reply.body().apply(request));
                return;
            }
            byte[] bytes = reply.body().apply(request);
            if (reply.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            }
            exchange.sendResponseHeaders(reply.status(), (bytes.length > 0) ? bytes.length : -1);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (IOException ex) {
            // The client gave up (a timeout test): nothing to answer.
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } finally {
            if (answered != null) {
                this.answering.remove(answered);
            }
        }
    }

    private void cancel(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String id = path.substring(path.lastIndexOf('/') + 1);
            boolean running = this.answering.contains(id) && !this.canceled.contains(id);
            if (running) {
                this.canceled.add(id);
            }
            exchange.sendResponseHeaders(running ? 204 : 404, -1);
        }
    }

    /** Streams the scripted events, pausing between deltas as a runtime does. */
    private void sendEvents(HttpExchange exchange, Received request, EventScript script)
            throws IOException, InterruptedException {
        exchange.getResponseHeaders().set("Content-Type", EVENT_STREAM);
        // a broken-off stream promises more than it sends: closing it then drops the connection
        exchange.sendResponseHeaders(200, (script.ending() == Ending.BREAK) ? 1024 * 1024 : 0);
        OutputStream out = exchange.getResponseBody();
        StringBuilder text = new StringBuilder();
        try {
            for (int i = 0; i < script.deltas().size(); i++) {
                if (i == script.holdAfter()) {
                    this.gate.await(10, TimeUnit.SECONDS);
                }
                Thread.sleep(PACE);
                text.append(script.deltas().get(i));
                writeEvent(out, "delta", Map.of("text", script.deltas().get(i)));
            }
            if (script.holdAfter() == script.deltas().size()) {
                this.gate.await(10, TimeUnit.SECONDS);
            }
            switch (script.ending()) {
                case DONE ->
                    writeEvent(
                            out,
                            "done",
                            Map.of(
                                    "message_id",
                                    request.messageId(),
                                    "node_id",
                                    "node-fake",
                                    "node_name",
                                    this.name,
                                    "response",
                                    script.text().isEmpty() ? text.toString() : script.text()));
                case ERROR ->
                    writeEvent(
                            out,
                            "error",
                            Map.of(
                                    "type",
                                    "urn:clawmesh:problem:test",
                                    "title",
                                    "Test",
                                    "status",
                                    script.status(),
                                    "detail",
                                    script.text()));
                case BREAK -> {
                    return; // the exchange closes with bytes missing
                }
                case ENDLESS -> {
                    while (!this.closed && !this.canceled.contains(request.messageId())) {
                        Thread.sleep(PACE);
                        writeEvent(out, "delta", Map.of("text", script.text()));
                    }
                }
            }
            out.close();
        } catch (IOException ex) {
            this.abandonedStreams.incrementAndGet();
            throw ex;
        }
    }

    private static void writeEvent(OutputStream out, String type, Map<String, Object> data) throws IOException {
        out.write(("event: " + type + "\ndata: " + JSON.writeValueAsString(data) + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Sends half of {@code body} under a Content-Length for all of it, then drops the connection. */
    private static void sendBrokenOff(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        OutputStream out = exchange.getResponseBody();
        out.write(body, 0, body.length / 2);
        out.flush();
        // closing the exchange with bytes missing makes the JDK server drop the connection
    }

    /** Streams a body without end, until the client drops the connection or the agent closes. */
    private void sendEndless(HttpExchange exchange, int status) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, 0);
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        try (OutputStream out = exchange.getResponseBody()) {
            while (this.gate.getCount() > 0) {
                out.write(chunk);
            }
        }
    }

    private static Received received(HttpExchange exchange, byte[] body) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, String.join(",", values)));
        String text = new String(body, StandardCharsets.UTF_8);
        String messageId;
        try {
            messageId = JSON.readTree(text).path("id").asString();
        } catch (RuntimeException ex) {
            messageId = "";
        }
        return new Received(
                exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, text, messageId);
    }

    /**
     * What the agent received.
     *
     * @param headers by case-insensitive name
     * @param messageId the {@code id} of the JSON body; empty when there is none
     */
    public record Received(String method, String path, Map<String, String> headers, String body, String messageId) {}

    /** How a scripted stream ends. */
    enum Ending {
        DONE,
        ERROR,
        BREAK,
        ENDLESS
    }

    /**
     * The events of a streamed reply.
     *
     * @param holdAfter after how many deltas to wait for {@link FakeAgent#release()}; -1 for never
     * @param status the status of the problem of an {@link Ending#ERROR}
     * @param text the detail of an error, the repeated delta of an endless stream, or the response of {@code done}
     *     when it is not the deltas' concatenation (empty for that)
     */
    record EventScript(List<String> deltas, int holdAfter, Ending ending, int status, String text) {}

    /**
     * One scripted reply.
     *
     * @param status the HTTP status; 0 drops the connection without answering
     * @param hold how long to wait (until {@link FakeAgent#release()}) before replying; {@code null} for at once
     * @param streamsForever whether to stream a body that never ends instead
     * @param breaksOff whether to drop the connection halfway through the body
     * @param events the events of a streamed reply ({@code text/event-stream}) instead of a body; {@code null} for none
     */
    public record Reply(
            int status,
            @Nullable String contentType,
            Function<Received, byte[]> body,
            @Nullable Duration hold,
            boolean streamsForever,
            boolean breaksOff,
            @Nullable EventScript events) {

        /**
         * 200 and a stream of {@code delta} events with these texts, one every {@link #PACE}, then {@code done} with
         * their concatenation as the response, as an agent streams a runtime's reply.
         */
        public static Reply streamed(String... deltas) {
            return events(new EventScript(List.of(deltas), -1, Ending.DONE, 0, ""));
        }

        /** The deltas, then an {@code error} event with a problem of this status and detail. */
        static Reply streamedThenError(int status, String detail, String... deltas) {
            return events(new EventScript(List.of(deltas), -1, Ending.ERROR, status, detail));
        }

        /** The deltas, then the connection drops with the body incomplete. */
        public static Reply streamedThenBrokenOff(String... deltas) {
            return events(new EventScript(List.of(deltas), -1, Ending.BREAK, 0, ""));
        }

        /** The deltas, then {@code done} with this response instead of their concatenation. */
        static Reply streamedThenDone(String response, String... deltas) {
            return events(new EventScript(List.of(deltas), -1, Ending.DONE, 0, response));
        }

        /** The deltas, then this delta again and again until the client drops the stream or the agent closes. */
        public static Reply streamedWithoutEnd(String delta, String... deltas) {
            return events(new EventScript(List.of(deltas), -1, Ending.ENDLESS, 0, delta));
        }

        private static Reply events(EventScript script) {
            return new Reply(200, FakeAgent.EVENT_STREAM, (request) -> new byte[0], null, false, false, script);
        }

        /** This streamed reply, but after {@code deltas} deltas it waits (until {@link FakeAgent#release()}). */
        public Reply pausedAfter(int deltas) {
            EventScript script = java.util.Objects.requireNonNull(this.events, "only a streamed reply pauses");
            return new Reply(
                    this.status,
                    this.contentType,
                    this.body,
                    this.hold,
                    this.streamsForever,
                    this.breaksOff,
                    new EventScript(script.deltas(), deltas, script.ending(), script.status(), script.text()));
        }

        /** 200 with a well-formed message answer for the received message id. */
        public static Reply answer(String response) {
            return new Reply(
                    200,
                    "application/json",
                    (request) -> answerBody(request.messageId(), response),
                    null,
                    false,
                    false,
                    null);
        }

        /** A problem body with this status and detail, as the agent sends its errors. */
        public static Reply problem(int status, String detail) {
            String body = "{\"type\":\"urn:clawmesh:problem:test\",\"title\":\"Test\",\"status\":" + status
                    + ",\"detail\":\"" + detail + "\"}";
            return bytes(status, ApiPaths.PROBLEM_JSON, body.getBytes(StandardCharsets.UTF_8));
        }

        /** This status with exactly these bytes as the body (none when empty). */
        static Reply bytes(int status, String contentType, byte[] body) {
            return new Reply(status, contentType, (request) -> body, null, false, false, null);
        }

        /** 200 with a body that never ends, as from an agent stuck in a loop. */
        static Reply endlessAnswer() {
            return endless(200);
        }

        /** This status with a body that never ends, as from a broken proxy in front of an agent. */
        static Reply endless(int status) {
            return new Reply(status, "application/json", (request) -> new byte[0], null, true, false, null);
        }

        /** 200 with a message answer whose connection drops halfway through the body. */
        static Reply brokenOffAnswer(String response) {
            return new Reply(
                    200,
                    "application/json",
                    (request) -> answerBody(request.messageId(), response),
                    null,
                    false,
                    true,
                    null);
        }

        /** Reads the message, then closes the connection without a status line. */
        static Reply hangUp() {
            return new Reply(0, null, (request) -> new byte[0], null, false, false, null);
        }

        /** This reply, but only after up to {@code hold}, or when the agent is released. */
        Reply heldFor(Duration hold) {
            return new Reply(
                    this.status, this.contentType, this.body, hold, this.streamsForever, this.breaksOff, this.events);
        }

        static byte[] answerBody(String messageId, String response) {
            String body = "{\"message_id\":\"" + messageId + "\",\"node_id\":\"node-fake\",\"response\":\"" + response
                    + "\"}";
            return body.getBytes(StandardCharsets.UTF_8);
        }
    }
}
