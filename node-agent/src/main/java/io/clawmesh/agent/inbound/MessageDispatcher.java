package io.clawmesh.agent.inbound;

import io.clawmesh.agent.runtime.AgentRuntime;
import io.clawmesh.agent.runtime.CapacityGate;
import io.clawmesh.agent.runtime.RunAbort;
import io.clawmesh.agent.runtime.RuntimeRequest;
import io.clawmesh.common.message.AgentMessageRequest;
import io.clawmesh.common.node.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a message, takes a runtime slot (or refuses with "at capacity"), and hands the message to the runtime with
 * its id as the idempotency key. A message id seen recently is not run again: its first run's reply answers it. A
 * running message can be canceled by its id ({@link #cancel}), whether its reply is streamed or answered whole.
 */
public class MessageDispatcher {

    private static final Logger logger = LoggerFactory.getLogger(MessageDispatcher.class);

    /** The most content a message may carry, in UTF-8 bytes (1 MiB). */
    public static final int MAX_CONTENT_BYTES = 1024 * 1024;

    private final AgentRuntime runtime;

    private final CapacityGate gate;

    private final Clock clock;

    private final Duration timeout;

    private final RecentReplies replies;

    /** How to stop each message running now, by id: what {@link #cancel} aborts. */
    private final Map<String, RunAbort> running = new ConcurrentHashMap<>();

    public MessageDispatcher(AgentRuntime runtime, CapacityGate gate, Clock clock, Duration timeout) {
        this.runtime = runtime;
        this.gate = gate;
        this.clock = clock;
        this.timeout = timeout;
        // Remember ids for longer than the coordinator waits (its forwarding timeout defaults to 10 minutes).
        this.replies = new RecentReplies(10_000, timeout.plus(Duration.ofMinutes(10)), clock);
    }

    /**
     * Runs one message on the runtime and answers its reply.
     *
     * @throws InvalidInputException when id or content is missing
     * @throws MessageTooLargeException when the content is over 1 MiB
     * @throws NodeAtCapacityException when every slot is taken
     */
    public String dispatch(AgentMessageRequest message) {
        String id = required("id", message.id());
        String content = content(message);
        return this.replies.replyOnce(id, () -> run(id, content, message));
    }

    /**
     * Runs one message on the runtime and passes its reply on piece by piece: {@code stream} is opened once the
     * message is accepted (a slot taken, the runtime connected), then gets the pieces as the runtime produces them.
     * A repeated id runs nothing: it answers the first run's reply and never opens {@code stream}. The run stops when
     * {@code stream}'s {@link ReplyStream#abort() abort} is called (its reader went away).
     *
     * @return the whole reply, the pieces concatenated
     * @throws InvalidInputException when id or content is missing
     * @throws MessageTooLargeException when the content is over 1 MiB
     * @throws RuntimeUnavailableException when the runtime is down or disconnected
     * @throws NodeAtCapacityException when every slot is taken
     */
    public String dispatch(AgentMessageRequest message, ReplyStream stream) {
        String id = required("id", message.id());
        String content = content(message);
        return this.replies.replyOnce(id, () -> {
            if (!this.runtime.info().connected()) {
                throw new RuntimeUnavailableException(this.runtime.info().kind());
            }
            return runOnGate(id, stream.abort(), () -> {
                stream.open();
                return this.runtime.stream(request(id, content, message, stream.abort()), stream::delta);
            });
        });
    }

    /**
     * Cancels the run of a message running now: its runtime is asked to stop (as a streamed message's reader that goes
     * away does), and the message then answers the runtime's "aborted" failure. A message that is not running here
     * (unknown, finished, or a repeated id waiting for its first run) is left alone.
     *
     * @return whether a run with this id was running and has been asked to stop
     */
    public boolean cancel(String id) {
        RunAbort abort = this.running.get(id);
        if (abort == null) {
            return false;
        }
        logger.info("Message {} canceled by the coordinator", id);
        abort.abort("canceled by the coordinator: its client went away");
        return true;
    }

    private String run(String id, String content, AgentMessageRequest message) {
        RunAbort abort = new RunAbort();
        return runOnGate(id, abort, () -> {
            logger.debug(
                    "Message {} handed to the {} runtime",
                    id,
                    this.runtime.info().kind());
            return this.runtime.send(request(id, content, message, abort));
        });
    }

    private String runOnGate(String id, RunAbort abort, Supplier<String> run) {
        if (!this.gate.tryEnter()) {
            logger.info("Message {} refused: node at capacity ({})", id, this.gate.capacity());
            throw new NodeAtCapacityException(this.gate.capacity());
        }
        // the id is the coordinator's and runs once at a time here (RecentReplies): this entry is this run's
        this.running.put(id, abort);
        try {
            return run.get();
        } finally {
            this.running.remove(id, abort);
            this.gate.exit();
        }
    }

    private RuntimeRequest request(String id, String content, AgentMessageRequest message, RunAbort abort) {
        return new RuntimeRequest(
                id,
                content,
                message.source(),
                message.sessionKey(),
                this.clock.instant().plus(this.timeout),
                abort);
    }

    private static String content(AgentMessageRequest message) {
        String content = required("content", message.content());
        if (content.length() > MAX_CONTENT_BYTES / 3
                && content.getBytes(StandardCharsets.UTF_8).length > MAX_CONTENT_BYTES) {
            throw new MessageTooLargeException(MAX_CONTENT_BYTES);
        }
        return content;
    }

    private static String required(String field, @Nullable String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException("field '" + field + "' is required");
        }
        return value;
    }

    /** Where a streamed reply goes; called on the thread that runs the message, never throws. */
    public interface ReplyStream {

        /** The message was accepted and runs now: from here on the answer can only be told inside the stream. */
        void open();

        /** The next piece of the reply, never empty. */
        void delta(String text);

        /** Stops the run when aborted: the stream's reader went away, so no one is left to read the reply. */
        RunAbort abort();
    }
}
