package io.clawmesh.agent.inbound;

import io.clawmesh.agent.runtime.AgentRuntime;
import io.clawmesh.agent.runtime.CapacityGate;
import io.clawmesh.agent.runtime.RuntimeRequest;
import io.clawmesh.common.message.AgentMessageRequest;
import io.clawmesh.common.node.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a message, takes a runtime slot (or refuses with "at capacity"), and hands the message to the runtime with
 * its id as the idempotency key. A message id seen recently is not run again: its first run's reply answers it.
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
        String content = required("content", message.content());
        if (content.length() > MAX_CONTENT_BYTES / 3
                && content.getBytes(StandardCharsets.UTF_8).length > MAX_CONTENT_BYTES) {
            throw new MessageTooLargeException(MAX_CONTENT_BYTES);
        }
        return this.replies.replyOnce(id, () -> run(id, content, message));
    }

    private String run(String id, String content, AgentMessageRequest message) {
        if (!this.gate.tryEnter()) {
            logger.info("Message {} refused: node at capacity ({})", id, this.gate.capacity());
            throw new NodeAtCapacityException(this.gate.capacity());
        }
        try {
            logger.debug(
                    "Message {} handed to the {} runtime",
                    id,
                    this.runtime.info().kind());
            RuntimeRequest request = new RuntimeRequest(
                    id,
                    content,
                    message.source(),
                    message.sessionKey(),
                    this.clock.instant().plus(this.timeout));
            return this.runtime.send(request);
        } finally {
            this.gate.exit();
        }
    }

    private static String required(String field, @Nullable String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException("field '" + field + "' is required");
        }
        return value;
    }
}
