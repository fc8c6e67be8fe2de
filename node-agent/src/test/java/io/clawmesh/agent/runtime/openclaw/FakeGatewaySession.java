package io.clawmesh.agent.runtime.openclaw;

import io.clawmesh.agent.runtime.ServerWebSocket;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** One client WebSocket of {@link FakeOpenClawGateway}: the handshake of §3 and the RPCs of §5 of the protocol file. */
final class FakeGatewaySession {

    private static final Set<String> AGENT_PARAMS = Set.of(
            "message", "idempotencyKey", "sessionKey", "agentId", "sessionId", "model", "timeout", "label", "lane");

    private static final AtomicInteger OTHER_RUNS = new AtomicInteger();

    private final FakeOpenClawGateway gateway;

    private final @Nullable ServerWebSocket socket;

    private final AtomicLong seq = new AtomicLong();

    private volatile boolean authenticated;

    private volatile List<String> scopes = List.of();

    FakeGatewaySession(FakeOpenClawGateway gateway, @Nullable ServerWebSocket socket) {
        this.gateway = gateway;
        this.socket = socket;
    }

    void run() throws IOException {
        ObjectNode challenge = this.gateway.json.createObjectNode();
        challenge
                .put("type", "event")
                .put("event", "connect.challenge")
                .putObject("payload")
                .put("nonce", "412a1545-7f38-4d76-b809-24a04daab492")
                .put("ts", System.currentTimeMillis());
        send(challenge);
        try {
            String text;
            while ((text = this.socket.readText()) != null) {
                JsonNode frame = this.gateway.json.readTree(text);
                if ("req".equals(frame.path("type").asString(""))) {
                    request(frame.path("id").asString(""), frame.path("method").asString(""), frame.path("params"));
                }
            }
        } finally {
            this.gateway.sessions.remove(this);
        }
    }

    void drop() {
        if (this.socket != null) {
            this.socket.drop();
        }
    }

    /**
     * Runs {@code run} as the gateway's restart recovery does: a new run id in the lost run's one-off session, its
     * events broadcast, no {@code res} to anyone.
     */
    static void resume(FakeOpenClawGateway gateway, FakeRun run) {
        gateway.runs.put(run.runId, run);
        new FakeGatewaySession(gateway, null).execute(null, run);
    }

    /** An event with this connection's own sequence number; only authenticated connections get events. */
    void event(String event, ObjectNode payload) {
        if (!this.authenticated) {
            return;
        }
        ObjectNode frame = this.gateway.json.createObjectNode();
        frame.put("type", "event").put("event", event).set("payload", payload);
        frame.put("seq", this.seq.incrementAndGet());
        sendQuietly(frame);
    }

    void respond(String id, ObjectNode payload) {
        ObjectNode frame = this.gateway.json.createObjectNode();
        frame.put("type", "res").put("id", id).put("ok", true).set("payload", payload);
        sendQuietly(frame);
    }

    private void request(String id, String method, JsonNode params) {
        this.gateway.methods.add(method);
        if (!this.authenticated) {
            if (!"connect".equals(method)) {
                refuse(id, "INVALID_REQUEST", "invalid handshake: first request must be connect", null, 1008);
                return;
            }
            connect(id, params);
            return;
        }
        switch (method) {
            case "agent" -> agent(id, params);
            case "agent.wait" -> Thread.ofVirtual().start(() -> agentWait(id, params));
            case "chat.abort" -> chatAbort(id, params);
            case "health" -> respond(id, payload().put("ok", true));
            default -> error(id, "INVALID_REQUEST", "unknown method: " + method, null);
        }
    }

    private void connect(String id, JsonNode params) {
        this.gateway.connectParams.add(params);
        int min = params.path("minProtocol").asInt(-1);
        int max = params.path("maxProtocol").asInt(-1);
        if (min > this.gateway.protocol || max < this.gateway.protocol) {
            refuse(id, "INVALID_REQUEST", "protocol mismatch", "PROTOCOL_MISMATCH", 1002);
            return;
        }
        String clientId = params.path("client").path("id").asString("");
        String mode = params.path("client").path("mode").asString("");
        if (!Set.of("gateway-client", "cli", "test", "openclaw-probe").contains(clientId)) {
            refuse(
                    id,
                    "INVALID_REQUEST",
                    "invalid connect params: at /client/id: must be equal to one of the " + "allowed values",
                    null,
                    1008);
            return;
        }
        if (!params.has("auth")) {
            refuse(id, "NOT_PAIRED", "device identity required", "DEVICE_IDENTITY_REQUIRED", 1008);
            return;
        }
        if (!this.gateway.token.equals(params.path("auth").path("token").asString(""))) {
            refuse(
                    id,
                    "INVALID_REQUEST",
                    "unauthorized: gateway token mismatch (provide gateway auth token)",
                    "AUTH_TOKEN_MISMATCH",
                    1008);
            return;
        }
        if (!this.gateway.answerWithHello) {
            respond(id, payload().put("type", "pairing-pending"));
            return;
        }
        boolean trusted = ("gateway-client".equals(clientId) && "backend".equals(mode))
                || ("cli".equals(clientId) && "cli".equals(mode));
        List<String> granted = new ArrayList<>();
        if (trusted) {
            params.path("scopes").forEach((scope) -> granted.add(scope.asString("")));
        }
        this.scopes = List.copyOf(granted);
        ObjectNode hello = payload().put("type", "hello-ok").put("protocol", this.gateway.protocol);
        hello.putObject("server").put("version", FakeOpenClawGateway.VERSION).put("connId", "conn-" + id);
        ObjectNode auth = hello.putObject("auth").put("method", "token").put("role", "operator");
        granted.forEach(auth.putArray("scopes")::add);
        hello.putObject("policy").put("tickIntervalMs", this.gateway.tickInterval.toMillis());
        this.gateway.handshakes.incrementAndGet();
        respond(id, hello);
        this.authenticated = true;
        this.gateway.sessions.add(this);
        event("health", payload().put("ok", true));
    }

    private void agent(String id, JsonNode params) {
        if (!this.scopes.contains("operator.write")) {
            error(id, "FORBIDDEN", "missing scope: operator.write", "MISSING_SCOPE");
            return;
        }
        for (String name : params.propertyNames()) {
            if (!AGENT_PARAMS.contains(name)) {
                error(id, "INVALID_REQUEST", "invalid agent params: at root: unexpected property '" + name + "'", null);
                return;
            }
        }
        String key = params.path("idempotencyKey").asString("");
        String message = params.path("message").asString("");
        if (key.isEmpty() || message.isEmpty()) {
            error(
                    id,
                    "INVALID_REQUEST",
                    "invalid agent params: must have required property '"
                            + (key.isEmpty() ? "idempotencyKey" : "message") + "'",
                    null);
            return;
        }
        if (this.gateway.unavailableAnswers.getAndUpdate((n) -> Math.max(0, n - 1)) > 0
                || (this.gateway.staleOneOffSessions.containsKey(key) && !params.has("sessionKey"))) {
            // seen on the real gateway when a run is submitted again right after a restart
            error(
                    id,
                    "UNAVAILABLE",
                    "Session \"agent:main:explicit:" + key
                            + "\" changed while starting work. Retry. | SESSION_WORK_START_CHANGED",
                    null);
            return;
        }
        String requested = params.path("sessionKey").asString("");
        String session = requested.isEmpty()
                ? "agent:main:explicit:" + key
                : (requested.startsWith("agent:") ? requested : "agent:main:" + requested);
        FakeRun fresh = new FakeRun(key, message, session);
        FakeRun existing = this.gateway.runs.putIfAbsent(key, fresh);
        if (existing != null) {
            duplicate(id, existing);
            return;
        }
        ObjectNode accepted = payload().put("runId", key);
        if (!requested.isEmpty()) {
            accepted.put("sessionKey", session);
        }
        respond(
                id,
                accepted.put("agentId", "main")
                        .put("status", "accepted")
                        .put("acceptedAt", System.currentTimeMillis()));
        Thread.ofVirtual().name("fake-run-" + key).start(() -> execute(id, fresh));
    }

    private void duplicate(String id, FakeRun run) {
        if (run.status == FakeRun.Status.RUNNING) {
            respond(
                    id,
                    payload()
                            .put("runId", run.runId)
                            .put("status", "in_flight")
                            .put("sessionKey", run.sessionKey)
                            .put("agentId", "main")
                            .put("admissionPending", true));
        } else {
            respond(id, finalPayload(run));
        }
    }

    private void execute(@Nullable String id, FakeRun run) {
        lifecycle(run, payload().put("phase", "start").put("startedAt", System.currentTimeMillis()));
        if (this.gateway.otherRunsInterleaved) {
            String other = "other-run-" + OTHER_RUNS.incrementAndGet();
            ObjectNode payload = agentEvent(other, "agent:main:someone-else", "assistant");
            payload.putObject("data").put("text", "not your reply").put("delta", "not your reply");
            this.gateway.broadcast("agent", payload);
            ObjectNode end = agentEvent(other, "agent:main:someone-else", "lifecycle");
            end.putObject("data")
                    .put("phase", "end")
                    .putObject("terminalReply")
                    .put("disposition", "visible")
                    .put("text", "not your reply");
            this.gateway.broadcast("agent", end);
        }
        String reply = this.gateway.model(run.message, run.sessionKey);
        run.reply = reply;
        assistant(run, reply.substring(0, reply.length() / 2));
        if (this.gateway.holdRuns) {
            run.released.join();
        }
        if (run.status == FakeRun.Status.ABORTED) {
            lifecycle(
                    run,
                    payload()
                            .put("phase", "end")
                            .put("status", "cancelled")
                            .put("aborted", true)
                            .put("stopReason", "rpc"));
        } else {
            if (this.gateway.correctedReplies) {
                assistant(run, reply + FakeOpenClawGateway.INTERNAL_MARKER);
            }
            assistant(run, reply);
            lifecycle(run, payload().put("phase", "end").put("aborted", false).put("stopReason", "stop"));
            run.status = FakeRun.Status.OK;
        }
        run.done.complete(null);
        if (id != null) {
            respond(id, finalPayload(run));
        }
    }

    private ObjectNode finalPayload(FakeRun run) {
        if (run.status == FakeRun.Status.ABORTED) {
            return payload()
                    .put("runId", run.runId)
                    .put("status", "timeout")
                    .put("summary", "aborted")
                    .put("stopReason", "rpc");
        }
        ObjectNode payload =
                payload().put("runId", run.runId).put("status", "ok").put("summary", "completed");
        payload.putObject("result")
                .putArray("payloads")
                .addObject()
                .put("text", run.reply)
                .putNull("mediaUrl");
        return payload;
    }

    private void agentWait(String id, JsonNode params) {
        String runId = params.path("runId").asString("");
        long timeoutMs = params.path("timeoutMs").asLong(30_000);
        FakeRun run = this.gateway.runs.get(runId);
        try {
            if (run == null) {
                Thread.sleep(timeoutMs);
            } else {
                run.done.get(timeoutMs, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException | ExecutionException | TimeoutException ex) {
            // answered below as timeout
        }
        if (run == null || run.status == FakeRun.Status.RUNNING) {
            respond(id, payload().put("runId", runId).put("status", "timeout"));
        } else if (run.status == FakeRun.Status.ABORTED) {
            respond(id, payload().put("runId", runId).put("status", "error").put("stopReason", "rpc"));
        } else {
            ObjectNode payload =
                    payload().put("runId", runId).put("status", "ok").put("stopReason", "stop");
            payload.putObject("terminalReply").put("disposition", "visible").put("text", run.reply);
            respond(id, payload);
        }
    }

    private void chatAbort(String id, JsonNode params) {
        this.gateway.aborts.add(params);
        FakeRun run = this.gateway.runs.get(params.path("runId").asString(""));
        ObjectNode answer = payload().put("ok", true);
        if (run != null
                && run.status == FakeRun.Status.RUNNING
                && run.sessionKey.equals(params.path("sessionKey").asString(""))) {
            run.status = FakeRun.Status.ABORTED;
            run.release();
            answer.put("aborted", true).putArray("runIds").add(run.runId);
        } else {
            answer.put("aborted", false).putArray("runIds");
        }
        respond(id, answer);
    }

    /** An {@code assistant} event as the gateway sends it: the cumulative text and what it adds. */
    private void assistant(FakeRun run, String text) {
        ObjectNode payload = agentEventFor(run, "assistant");
        String before = run.streamed;
        ObjectNode data = payload.putObject("data").put("text", text);
        if (text.startsWith(before)) {
            data.put("delta", text.substring(before.length()));
        } else {
            data.put("delta", "").put("replace", true); // a correction, as when the gateway strips a marker
        }
        run.streamed = text;
        this.gateway.broadcast("agent", payload);
    }

    private void lifecycle(FakeRun run, ObjectNode data) {
        ObjectNode payload = agentEventFor(run, "lifecycle");
        if ("end".equals(data.path("phase").asString(""))
                && !data.path("aborted").asBoolean(false)) {
            data.putObject("terminalReply").put("disposition", "visible").put("text", run.reply);
        }
        payload.set("data", data);
        this.gateway.broadcast("agent", payload);
    }

    private ObjectNode agentEventFor(FakeRun run, String stream) {
        return agentEvent(run.runId, run.sessionKey, stream);
    }

    private ObjectNode agentEvent(String runId, String sessionKey, String stream) {
        return payload()
                .put("runId", runId)
                .put("sessionKey", sessionKey)
                .put("agentId", "main")
                .put("stream", stream)
                .put("ts", System.currentTimeMillis());
    }

    private void refuse(String id, String code, String message, @Nullable String detail, int closeCode) {
        error(id, code, message, detail);
        this.socket.close(closeCode, message);
    }

    private void error(String id, String code, String message, @Nullable String detail) {
        ObjectNode frame = this.gateway.json.createObjectNode();
        frame.put("type", "res").put("id", id).put("ok", false);
        ObjectNode error = frame.putObject("error").put("code", code).put("message", message);
        if (detail != null) {
            error.putObject("details").put("code", detail);
        }
        sendQuietly(frame);
    }

    private ObjectNode payload() {
        return this.gateway.json.createObjectNode();
    }

    private void send(ObjectNode frame) throws IOException {
        Objects.requireNonNull(this.socket, "a resumed run answers nobody")
                .sendText(this.gateway.json.writeValueAsString(frame));
    }

    private void sendQuietly(ObjectNode frame) {
        try {
            send(frame);
        } catch (IOException ex) {
            // the client is gone; a real gateway drops the frame too
        }
    }
}
