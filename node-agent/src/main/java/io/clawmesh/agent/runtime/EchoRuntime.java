package io.clawmesh.agent.runtime;

import io.clawmesh.common.node.RuntimeInfo;
import java.util.regex.Pattern;

/**
 * The built-in runtime of echo mode: answers every message with {@code [claw-mesh echo] <content>}, so a mesh works
 * on a machine without an AI gateway and nobody mistakes the reply for a real one. {@link #stream} passes the reply on
 * word by word (each piece keeps its trailing whitespace), so streaming is visible in echo mode too.
 */
public class EchoRuntime implements AgentRuntime {

    /** The prefix every echo reply starts with. */
    public static final String PREFIX = "[claw-mesh echo] ";

    static final String KIND = "echo";

    /** Splits after each run of whitespace, so the pieces concatenate to the reply. */
    private static final Pattern AFTER_WHITESPACE = Pattern.compile("(?<=\\s)(?=\\S)");

    @Override
    public RuntimeInfo info() {
        return RuntimeInfo.echo();
    }

    @Override
    public String send(RuntimeRequest request) {
        return PREFIX + request.content();
    }

    @Override
    public String stream(RuntimeRequest request, DeltaListener deltas) {
        StreamedReply reply = StreamedReply.to(KIND, deltas);
        for (String word : AFTER_WHITESPACE.split(send(request))) {
            if (request.abort().aborted()) {
                throw RunAbortedException.of(KIND, request.abort());
            }
            reply.piece(word);
        }
        return reply.text();
    }
}
