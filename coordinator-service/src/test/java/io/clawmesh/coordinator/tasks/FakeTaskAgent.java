package io.clawmesh.coordinator.tasks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.clawmesh.common.api.ApiPaths;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A node agent on loopback that serves the agent task API of ADR 0008 as a test scripts it: each task streams
 * {@code started}, its chunks as {@code delta}s, and then {@code succeeded} with the chunks joined, unless the task is
 * held (it then waits after its chunks until {@link #release}, a cancel or its timeout). It refuses tasks beyond its
 * capacity with 429, keeps every task by id (a second post attaches), and records every request.
 */
public final class FakeTaskAgent implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private final Map<String, FakeRun> runs = new ConcurrentHashMap<>();

    private final List<String> requests = new CopyOnWriteArrayList<>();

    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    private final Set<String> holding = ConcurrentHashMap.newKeySet();

    private volatile List<String> chunks = List.of("Hello", ", ", "world");

    private volatile boolean holdAll;

    private volatile int capacity = 100;

    private volatile int breakStreams;

    private volatile int refuseWith;

    private volatile long lingerMillis;

    /** The client ports requests came from: one per connection the coordinator opened. */
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

    private FakeTaskAgent(int port) throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        this.server.createContext(ApiPaths.TASKS, this::handle);
        this.server.setExecutor(this.executor);
        this.server.start();
    }

    public static FakeTaskAgent start() {
        return start(0);
    }

    /** Starts on a given loopback port ({@code 0}: any free one), e.g. the port of an agent that went away. */
    public static FakeTaskAgent start(int port) {
        try {
            return new FakeTaskAgent(port);
        } catch (IOException ex) {
            throw new IllegalStateException("could not start a fake agent", ex);
        }
    }

    int port() {
        return this.server.getAddress().getPort();
    }

    /**
     * Dies as a killed agent does: its connections drop without a final event, and a new agent on the same port
     * ({@link #start(int)}) knows none of its tasks, as a real agent that restarted.
     *
     * @return the port it listened on
     */
    int crash() {
        int port = port();
        this.server.stop(0);
        this.executor.shutdownNow();
        return port;
    }

    public String endpoint() {
        return "127.0.0.1:" + this.server.getAddress().getPort();
    }

    public FakeTaskAgent chunks(String... pieces) {
        this.chunks = List.of(pieces);
        return this;
    }

    /** Holds every task after its chunks until it is released, canceled or timed out. */
    public FakeTaskAgent holdAll(boolean hold) {
        this.holdAll = hold;
        return this;
    }

    /** Answers 429 to tasks beyond this many running ones. */
    FakeTaskAgent capacity(int slots) {
        this.capacity = slots;
        return this;
    }

    /** The next {@code count} event streams break off after their chunks, before the final event. */
    FakeTaskAgent breakStreams(int count) {
        this.breakStreams = count;
        return this;
    }

    /** Keeps every event stream open this long after its final event before ending it (0: ends it at once). */
    FakeTaskAgent lingerAfterFinal(long millis) {
        this.lingerMillis = millis;
        return this;
    }

    /** How many connections the coordinator opened to this agent so far. */
    int connections() {
        return this.clientPorts.size();
    }

    /** Answers every post with this status (0 for normal service). */
    FakeTaskAgent refuseWith(int status) {
        this.refuseWith = status;
        return this;
    }

    /**
     * Makes the agent know a task it got before the test began (from a coordinator that has died since): ended with
     * {@code status} ({@code succeeded}, {@code failed}, {@code canceled}, {@code timed_out}) after writing
     * {@code text}, or still {@code running} and held after {@code text} until released.
     */
    FakeTaskAgent knows(String taskId, String status, String text, @Nullable String error) {
        FakeRun run = new FakeRun(taskId, "sent before the restart", TimeUnit.MINUTES.toMillis(1));
        this.runs.put(taskId, run);
        if (status.equals("running")) {
            this.executor.submit(() -> run.play(List.of(text), true));
        } else {
            run.ended(text, status, error);
        }
        return this;
    }

    /** Lets a held task finish. */
    public void release(String taskId) {
        FakeRun run = this.runs.get(taskId);
        if (run != null) {
            run.finish("succeeded", null);
        }
    }

    /** Every request as {@code METHOD path}, in order. */
    List<String> requests() {
        return List.copyOf(this.requests);
    }

    /** The {@code Authorization} header of every request that carried one, in order. */
    List<String> authorizations() {
        return List.copyOf(this.authorizations);
    }

    long count(String methodAndPath) {
        return this.requests.stream().filter(methodAndPath::equals).count();
    }

    /** What the agent knows of a task; {@code null} when it never got it. */
    @Nullable
    public String status(String taskId) {
        FakeRun run = this.runs.get(taskId);
        return (run != null) ? run.status() : null;
    }

    /** The content the agent got for a task. */
    @Nullable
    String content(String taskId) {
        FakeRun run = this.runs.get(taskId);
        return (run != null) ? run.content : null;
    }

    @Override
    public void close() {
        this.runs.values().forEach((run) -> run.finish("canceled", "agent closed"));
        this.server.stop(0);
        this.executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            this.requests.add(method + " " + path);
            this.clientPorts.add(exchange.getRemoteAddress().getPort());
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null) {
                send(exchange, 401, "{}");
                return;
            }
            this.authorizations.add(authorization);
            String rest = path.substring(ApiPaths.TASKS.length());
            if (method.equals("POST") && rest.isEmpty()) {
                post(exchange, JSON.readTree(body));
            } else if (method.equals("GET") && rest.endsWith("/events")) {
                FakeRun run = this.runs.get(rest.substring(1, rest.length() - "/events".length()));
                if (run == null) {
                    send(exchange, 404, "{}");
                } else {
                    stream(exchange, run, exchange.getRequestHeaders().getFirst("Last-Event-ID"));
                }
            } else if (method.equals("GET")) {
                FakeRun run = this.runs.get(rest.substring(1));
                if (run == null) {
                    send(exchange, 404, "{}");
                } else {
                    send(exchange, 200, JSON.writeValueAsString(run.view()));
                }
            } else if (method.equals("DELETE")) {
                FakeRun run = this.runs.get(rest.substring(1));
                if (run == null) {
                    send(exchange, 404, "{}");
                } else if (!run.finish("canceled", "canceled by the coordinator")) {
                    send(exchange, 409, "{}");
                } else {
                    send(exchange, 202, "{}");
                }
            } else {
                send(exchange, 405, "{}");
            }
        } catch (IOException ex) {
            // the coordinator went away
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void post(HttpExchange exchange, JsonNode request) throws IOException, InterruptedException {
        String id = request.path("task_id").asString();
        if (this.refuseWith != 0) {
            send(exchange, this.refuseWith, "{\"detail\":\"refused by the test\"}");
            return;
        }
        FakeRun run = this.runs.get(id);
        if (run == null) {
            long active = this.runs.values().stream().filter((r) -> !r.ended()).count();
            if (active >= this.capacity) {
                send(exchange, 429, "{\"detail\":\"every slot is busy\"}");
                return;
            }
            run = new FakeRun(
                    id,
                    request.path("content").asString(),
                    request.path("timeout_ms").asLong());
            this.runs.put(id, run);
            FakeRun started = run;
            boolean hold = this.holdAll;
            List<String> pieces = this.chunks;
            this.executor.submit(() -> started.play(pieces, hold));
        }
        stream(exchange, run, null);
    }

    /** Writes a run's events after {@code lastEventId}, live, until its final event (or a scripted break). */
    private void stream(HttpExchange exchange, FakeRun run, @Nullable String lastEventId)
            throws IOException, InterruptedException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        long offset = -1;
        int index = 0;
        if (lastEventId != null) {
            offset = Long.parseLong(lastEventId);
            String text = run.text();
            // past every event so far but the final one, which the client has not seen
            index = run.eventCount() - (run.ended() ? 1 : 0);
            if (text.length() > offset) {
                write(out, String.valueOf(text.length()), "delta", Map.of("text", text.substring((int) offset)));
            }
        }
        boolean breaking = false;
        synchronized (this) {
            if (this.breakStreams > 0) {
                this.breakStreams--;
                breaking = true;
            }
        }
        while (true) {
            FakeEvent event = run.await(index);
            index++;
            if (breaking && event.id().equals("end")) {
                // end the stream without the final event, as a dropped connection would
                out.close();
                return;
            }
            write(out, event.id(), event.name(), event.data());
            if (event.id().equals("end")) {
                if (this.lingerMillis > 0) {
                    Thread.sleep(this.lingerMillis);
                }
                out.close();
                return;
            }
        }
    }

    private static void write(OutputStream out, String id, String name, Object data) throws IOException {
        out.write(("id: " + id + "\nevent: " + name + "\ndata: " + JSON.writeValueAsString(data) + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private record FakeEvent(String id, String name, Object data) {}

    /** One task on the fake agent: its events so far, appended by its player thread. */
    private static final class FakeRun {

        private final String id;

        private final String content;

        private final long timeoutMs;

        private final List<FakeEvent> events = new ArrayList<>();

        private final StringBuilder text = new StringBuilder();

        private String status = "running";

        private @Nullable String error;

        FakeRun(String id, String content, long timeoutMs) {
            this.id = id;
            this.content = content;
            this.timeoutMs = timeoutMs;
        }

        void play(List<String> pieces, boolean hold) {
            add(new FakeEvent("0", "started", Map.of("task_id", this.id)));
            for (String piece : pieces) {
                synchronized (this) {
                    if (ended()) {
                        return;
                    }
                    this.text.append(piece);
                    add(new FakeEvent(String.valueOf(this.text.length()), "delta", Map.of("text", piece)));
                }
            }
            if (hold) {
                synchronized (this) {
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(this.timeoutMs);
                    try {
                        while (!ended() && System.nanoTime() < until) {
                            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
                        }
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                    if (!ended()) {
                        finish("timed_out", "the task's timeout passed on the agent");
                    }
                }
                return;
            }
            finish("succeeded", null);
        }

        /** Plays a whole run at once: started, one delta, and the final event. */
        synchronized void ended(String piece, String finalStatus, @Nullable String reason) {
            add(new FakeEvent("0", "started", Map.of("task_id", this.id)));
            this.text.append(piece);
            add(new FakeEvent(String.valueOf(this.text.length()), "delta", Map.of("text", piece)));
            finish(finalStatus, reason);
        }

        synchronized boolean finish(String finalStatus, @Nullable String reason) {
            if (ended()) {
                return false;
            }
            this.status = finalStatus;
            this.error = reason;
            Object data = finalStatus.equals("succeeded")
                    ? Map.of("response", this.text.toString())
                    : Map.of("error", reason);
            add(new FakeEvent("end", finalStatus, data));
            return true;
        }

        synchronized boolean ended() {
            return !this.status.equals("running");
        }

        synchronized String status() {
            return this.status;
        }

        synchronized String text() {
            return this.text.toString();
        }

        synchronized int eventCount() {
            return this.events.size();
        }

        synchronized Map<String, Object> view() {
            Map<String, Object> view = new java.util.LinkedHashMap<>();
            view.put("task_id", this.id);
            view.put("node_id", "fake");
            view.put("status", this.status);
            view.put("text", this.text.toString());
            view.put("error", this.error);
            return view;
        }

        private synchronized void add(FakeEvent event) {
            this.events.add(event);
            notifyAll();
        }

        synchronized FakeEvent await(int index) throws InterruptedException {
            while (this.events.size() <= index) {
                wait();
            }
            return this.events.get(index);
        }
    }
}
