package io.clawmesh.agent.runtime.openclaw;

import io.clawmesh.agent.runtime.RunAbortedException;
import io.clawmesh.agent.runtime.RuntimeFailureException;
import io.clawmesh.agent.runtime.RuntimeRequest;
import io.clawmesh.agent.runtime.StreamedReply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs one message as an {@code agent} RPC over the gateway WebSocket (protocols/openclaw.md §5): the mesh message id
 * is the idempotency key and so the run id; the request gets {@code accepted} and then its final {@code res}, a
 * duplicate gets {@code in_flight} and is followed with {@code agent.wait}. After a lost connection the run is looked
 * up with {@code agent.wait} and, if the gateway does not know it to be running, submitted again under the same key,
 * which the gateway deduplicates. The run's {@code assistant} events are passed on as pieces while it runs. At the
 * deadline, or when the request's {@link io.clawmesh.agent.runtime.RunAbort} is called, the run is cancelled with
 * {@code chat.abort}.
 */
final class AgentRunner {

    private static final Logger logger = LoggerFactory.getLogger(AgentRunner.class);

    static final String RUNTIME = "openclaw";

    private final GatewayLink link;

    private final OpenClawTimings timings;

    private final Duration timeout;

    private final Clock clock;

    AgentRunner(GatewayLink link, OpenClawTimings timings, Duration timeout, Clock clock) {
        this.link = link;
        this.timings = timings;
        this.timeout = timeout;
        this.clock = clock;
    }

    /**
     * The reply to {@code request}, its text passed on to {@code reply} as the gateway streams it.
     *
     * @throws RuntimeFailureException when there is no connection, the gateway refuses or fails the run, or the
     *     deadline passes (the run is then aborted)
     * @throws RunAbortedException when the request's abort was called (the run is then cancelled with
     *     {@code chat.abort})
     */
    String run(RuntimeRequest request, StreamedReply reply) {
        if (request.abort().aborted()) {
            throw RunAbortedException.of(RUNTIME, request.abort());
        }
        AgentRun run = new AgentRun(request, reply);
        request.abort().onAbort(this.link::wake);
        try {
            return run.finish(runUntilDone(run));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            abortQuietly(run);
            throw new RuntimeFailureException(
                    RUNTIME,
                    "interrupted while waiting for run " + run.id() + "; the run was cancelled with chat.abort");
        }
    }

    private String runUntilDone(AgentRun run) throws InterruptedException {
        boolean lost = false;
        boolean recover = false;
        Instant firstBusy = null;
        while (true) {
            Instant now = this.clock.instant();
            if (!now.isBefore(run.deadline())) {
                throw deadlinePassed(run, null);
            }
            Instant until = lost ? run.deadline() : min(run.deadline(), now.plus(this.timings.connectWait()));
            GatewayConnection connection = this.link.await(until, run::aborted);
            if (run.aborted()) {
                throw aborted(connection, run);
            }
            if (connection == null) {
                throw new RuntimeFailureException(
                        RUNTIME,
                        lost
                                ? "the gateway connection was lost during run " + run.id()
                                        + " and did not come back before the deadline (" + this.link.whyDisconnected()
                                        + ")"
                                : "not connected to the OpenClaw gateway (" + this.link.whyDisconnected() + ")");
            }
            try {
                if (recover) {
                    recover = false;
                    String recovered = recover(connection, run);
                    if (recovered != null) {
                        logger.info("Run {} recovered after the reconnect", run.id());
                        return recovered;
                    }
                    logger.info("Run {} is not known finished after the reconnect; submitting it again", run.id());
                }
                return submit(connection, run);
            } catch (AbortRequestedException ex) {
                throw aborted(connection, run);
            } catch (GatewayConnectionLostException ex) {
                lost = true;
                recover = true;
                logger.warn(
                        "Connection lost during run {} ({}); recovering it after the reconnect",
                        run.id(),
                        ex.getMessage());
            } catch (GatewayBusyException ex) {
                firstBusy = (firstBusy != null) ? firstBusy : this.clock.instant();
                boolean stale =
                        Duration.between(firstBusy, this.clock.instant()).compareTo(this.timings.resumeWait()) >= 0;
                if (ex.sessionChanged() && run.oneOffSession() != null && run.resumedAs() == null && stale) {
                    // the gateway resumes a run it lost in a restart under a new run id, and the one-off session
                    // refuses the same key meanwhile and afterwards (observed on 2026.9.6); when no resumed run
                    // showed up, the message goes again under a derived key, in a fresh one-off session
                    String previous = run.id();
                    run.rekey();
                    firstBusy = null;
                    logger.warn(
                            "The gateway keeps refusing the one-off session of run {} ({}); submitting it as {}",
                            previous,
                            ex.getMessage(),
                            run.id());
                    continue;
                }
                Duration pause = min(min(ex.retryAfter(), this.timings.busyRetry()), remaining(run));
                logger.info(
                        "Gateway busy with run {} ({}); submitting it again in {} ms",
                        run.id(),
                        ex.getMessage(),
                        pause.toMillis());
                Thread.sleep(pause);
            }
        }
    }

    private String submit(GatewayConnection connection, AgentRun run) throws InterruptedException {
        Inbox inbox = new Inbox();
        run.listen(inbox);
        connection.trackRun(run.id(), inbox);
        watchSession(connection, run, inbox);
        ObjectNode params = connection.params();
        params.put("message", run.request().content()).put("idempotencyKey", run.id());
        if (run.request().sessionKey() != null) {
            params.put("sessionKey", run.request().sessionKey());
        }
        String agentId = connection.request("agent", params, inbox);
        String waitId = null;
        try {
            while (true) {
                JsonNode frame = inbox.next(run.deadline(), this.clock);
                if (frame == null) {
                    throw deadlinePassed(run, connection);
                }
                if ("event".equals(frame.path("type").asString(""))) {
                    String reply = onEvent(connection, run, inbox, frame.path("payload"));
                    if (reply != null) {
                        return reply;
                    }
                    continue;
                }
                String id = frame.path("id").asString("");
                if (!frame.path("ok").asBoolean(false)) {
                    JsonNode error = frame.path("error");
                    if (id.equals(agentId)
                            && "UNAVAILABLE".equals(error.path("code").asString(""))
                            && run.resumedAs() != null) {
                        continue; // the gateway's own resumption of this run is running: its end answers
                    }
                    if (id.equals(agentId)
                            && "UNAVAILABLE".equals(error.path("code").asString(""))) {
                        // retryable, e.g. SESSION_WORK_START_CHANGED right after a gateway restart
                        throw new GatewayBusyException(
                                error.path("message").asString("unavailable"),
                                AgentAnswers.retryAfter(error),
                                error.toString().contains("SESSION_WORK_START_CHANGED"));
                    }
                    throw AgentAnswers.refused(run, id.equals(waitId) ? "agent.wait" : "agent", error);
                }
                JsonNode payload = frame.path("payload");
                String status = payload.path("status").asString("");
                run.noteSessionKey(payload.path("sessionKey"));
                if (id.equals(waitId)) {
                    String reply = AgentAnswers.ofWait(run, payload);
                    if (reply != null) {
                        return reply;
                    }
                    waitId = waitFor(connection, run.waitTarget(), inbox, remaining(run));
                } else if ("accepted".equals(status)) {
                    logger.debug("Run {} accepted by the gateway (session {})", run.id(), run.sessionKey());
                } else if ("in_flight".equals(status)) {
                    logger.info("Run {} is already in flight on the gateway; waiting for it with agent.wait", run.id());
                    waitId = waitFor(connection, run.waitTarget(), inbox, remaining(run));
                } else {
                    return AgentAnswers.ofFinal(run, payload);
                }
            }
        } finally {
            connection.forgetRequest(agentId);
            if (waitId != null) {
                connection.forgetRequest(waitId);
            }
            forgetRun(connection, run);
        }
    }

    /**
     * The reply after a reconnect when the gateway finishes the run, or resumed it after a restart (a new run id in
     * the message's one-off session); {@code null} to submit it again.
     */
    private @Nullable String recover(GatewayConnection connection, AgentRun run) throws InterruptedException {
        Inbox inbox = new Inbox();
        run.listen(inbox);
        connection.trackRun(run.id(), inbox);
        if (run.resumedAs() != null) {
            connection.trackRun(run.resumedAs(), inbox);
        }
        watchSession(connection, run, inbox);
        Duration wait = (run.resumedAs() != null) ? remaining(run) : min(this.timings.recoveryWait(), remaining(run));
        String target = run.waitTarget();
        String waitId = waitFor(connection, target, inbox, wait);
        Instant until = min(run.deadline(), this.clock.instant().plus(wait).plusSeconds(5));
        try {
            while (true) {
                JsonNode frame = inbox.next(until, this.clock);
                if (frame == null) {
                    return null;
                }
                if ("event".equals(frame.path("type").asString(""))) {
                    String reply = onEvent(connection, run, inbox, frame.path("payload"));
                    if (reply != null) {
                        return reply;
                    }
                    if (!target.equals(run.waitTarget())) {
                        connection.forgetRequest(waitId);
                        target = run.waitTarget();
                        waitId = waitFor(connection, target, inbox, remaining(run));
                        until = run.deadline();
                    }
                } else if (frame.path("id").asString("").equals(waitId)) {
                    if (!frame.path("ok").asBoolean(false)) {
                        return null;
                    }
                    String reply = AgentAnswers.ofWait(run, frame.path("payload"));
                    if (reply != null || run.resumedAs() == null) {
                        return reply;
                    }
                    waitId = waitFor(connection, target, inbox, remaining(run));
                }
            }
        } finally {
            connection.forgetRequest(waitId);
            forgetRun(connection, run);
        }
    }

    /** Watches the message's one-off session, where the gateway resumes a run it lost in a restart. */
    private static void watchSession(GatewayConnection connection, AgentRun run, Inbox inbox) {
        String session = run.oneOffSession();
        if (session != null) {
            connection.trackSession(session, inbox);
        }
    }

    private static void forgetRun(GatewayConnection connection, AgentRun run) {
        connection.forgetRun(run.id());
        if (run.resumedAs() != null) {
            connection.forgetRun(run.resumedAs());
        }
        String session = run.oneOffSession();
        if (session != null) {
            connection.forgetSession(session);
        }
    }

    private String waitFor(GatewayConnection connection, String runId, Inbox inbox, Duration wait) {
        ObjectNode params = connection.params();
        params.put("runId", runId).put("timeoutMs", Math.max(1, wait.toMillis()));
        return connection.request("agent.wait", params, inbox);
    }

    /** Follows the run's events; answers the reply when its lifecycle ends with a visible one. */
    private @Nullable String onEvent(GatewayConnection connection, AgentRun run, Inbox inbox, JsonNode payload) {
        String runId = payload.path("runId").asString("");
        if (!runId.equals(run.id()) && !runId.equals(run.resumedAs())) {
            // an untracked run in the message's one-off session: the gateway resuming it after a restart
            if (!run.resume(runId)) {
                return null;
            }
            logger.info("The gateway resumed run {} after its restart as run {}; following that run", run.id(), runId);
            connection.trackRun(runId, inbox);
        }
        run.noteSessionKey(payload.path("sessionKey"));
        JsonNode data = payload.path("data");
        if ("assistant".equals(payload.path("stream").asString(""))) {
            run.noteText(data.path("text").asString(""));
            return null;
        }
        if ("lifecycle".equals(payload.path("stream").asString(""))
                && "end".equals(data.path("phase").asString(""))) {
            return AgentAnswers.ofEnd(run, data);
        }
        return null;
    }

    private RuntimeFailureException deadlinePassed(AgentRun run, @Nullable GatewayConnection connection)
            throws InterruptedException {
        String cancelled = (connection != null && abort(connection, run, "passed its deadline"))
                ? "the run was cancelled with chat.abort"
                : "chat.abort could not be confirmed";
        String partial = run.text().isEmpty() ? "" : " after " + run.text().length() + " characters of reply";
        return new RuntimeFailureException(
                RUNTIME,
                "no reply to run " + run.id() + " within the gateway timeout (" + this.timeout + ")" + partial + "; "
                        + cancelled);
    }

    /** Cancels the run whose abort was called and says so; {@code connection} is the one it runs on, if any. */
    private RunAbortedException aborted(@Nullable GatewayConnection connection, AgentRun run)
            throws InterruptedException {
        GatewayConnection current =
                (connection != null && connection.isOpen()) ? connection : this.link.connectedOrNull();
        if (current != null) {
            abort(current, run, "was aborted (" + run.request().abort().reason() + ")");
        } else {
            logger.warn("Run {} was aborted while no gateway connection was open; chat.abort not sent", run.id());
        }
        return RunAbortedException.of(RUNTIME, run.request().abort());
    }

    private void abortQuietly(AgentRun run) {
        GatewayConnection connection = this.link.connectedOrNull();
        if (connection != null) {
            try {
                abort(connection, run, "was interrupted");
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException ex) {
                logger.debug("chat.abort for run {} failed: {}", run.id(), ex.toString());
            }
        }
    }

    /** Sends {@code chat.abort} for the run; true when the gateway confirmed it. */
    private boolean abort(GatewayConnection connection, AgentRun run, String why) throws InterruptedException {
        Inbox inbox = new Inbox();
        ObjectNode params = connection.params();
        params.put("sessionKey", run.sessionKey()).put("runId", run.waitTarget());
        try {
            String id = connection.request("chat.abort", params, inbox);
            JsonNode answer = inbox.next(this.clock.instant().plus(this.timings.abortWait()), this.clock);
            connection.forgetRequest(id);
            boolean ok = answer != null && answer.path("ok").asBoolean(false);
            logger.warn("Run {} {}; chat.abort {}", run.id(), why, ok ? "confirmed" : "not confirmed");
            return ok;
        } catch (GatewayConnectionLostException ex) {
            return false;
        }
    }

    private Duration remaining(AgentRun run) {
        Duration left = Duration.between(this.clock.instant(), run.deadline());
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return (a.compareTo(b) <= 0) ? a : b;
    }
}
