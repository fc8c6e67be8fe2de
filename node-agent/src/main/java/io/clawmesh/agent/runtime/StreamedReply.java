package io.clawmesh.agent.runtime;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one run has passed on to its {@link DeltaListener} so far, kept so that the reply {@link AgentRuntime#stream}
 * returns always equals the pieces concatenated, whichever way the runtime reports its text: as pieces (OpenAI-style
 * chunks, ZeroClaw {@code chunk}s), as cumulative text (OpenClaw {@code assistant} events), or as a final answer.
 *
 * <p>Pieces cannot be taken back. When the runtime corrects text already passed on (OpenClaw's {@code replace}, or a
 * final answer that does not start with the streamed text), nothing more is passed until the text extends what was
 * passed again, and {@link #finish(String)} answers the streamed text: what the listener saw is the reply. The
 * correction is logged at WARN. Used by one run's thread; not thread-safe.
 */
public final class StreamedReply {

    private static final Logger logger = LoggerFactory.getLogger(StreamedReply.class);

    private final String runtime;

    private final @Nullable DeltaListener deltas;

    private final StringBuilder passed = new StringBuilder();

    private StreamedReply(String runtime, @Nullable DeltaListener deltas) {
        this.runtime = runtime;
        this.deltas = deltas;
    }

    /** A reply whose pieces go to {@code deltas}. */
    public static StreamedReply to(String runtime, DeltaListener deltas) {
        return new StreamedReply(runtime, deltas);
    }

    /** A reply nobody streams ({@link AgentRuntime#send}): {@link #finish(String)} answers the final text as is. */
    public static StreamedReply unstreamed(String runtime) {
        return new StreamedReply(runtime, null);
    }

    /** Passes on the next piece; an empty one is skipped. */
    public void piece(String text) {
        if (text.isEmpty()) {
            return;
        }
        this.passed.append(text);
        if (this.deltas != null) {
            this.deltas.delta(text);
        }
    }

    /**
     * Passes on what the runtime's cumulative text adds to what was passed; a text that does not start with what was
     * passed (a correction) passes nothing.
     */
    public void upTo(String cumulative) {
        if (cumulative.length() > this.passed.length() && startsWithPassed(cumulative)) {
            piece(cumulative.substring(this.passed.length()));
        }
    }

    /** The text passed on so far. */
    public String text() {
        return this.passed.toString();
    }

    /** The characters passed on so far. */
    public int length() {
        return this.passed.length();
    }

    /**
     * Ends the reply with the runtime's final answer: passes on what it adds to the streamed text and answers the
     * whole reply. When the final answer corrects text already passed on, the streamed text is the reply.
     */
    public String finish(String finalText) {
        if (this.deltas == null) {
            return finalText;
        }
        if (startsWithPassed(finalText)) {
            upTo(finalText);
            return finalText;
        }
        logger.warn(
                "The {} runtime's final answer ({} chars) does not continue the {} chars already streamed; the "
                        + "streamed text stands as the reply",
                this.runtime,
                finalText.length(),
                this.passed.length());
        return this.passed.toString();
    }

    private boolean startsWithPassed(String text) {
        return text.length() >= this.passed.length() && text.startsWith(this.passed.toString());
    }
}
