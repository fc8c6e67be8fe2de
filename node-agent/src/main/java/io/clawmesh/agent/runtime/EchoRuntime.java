package io.clawmesh.agent.runtime;

import io.clawmesh.common.node.RuntimeInfo;

/**
 * The built-in runtime of echo mode: answers every message with {@code [claw-mesh echo] <content>}, so a mesh works
 * on a machine without an AI gateway and nobody mistakes the reply for a real one.
 */
public class EchoRuntime implements AgentRuntime {

    /** The prefix every echo reply starts with. */
    public static final String PREFIX = "[claw-mesh echo] ";

    @Override
    public RuntimeInfo info() {
        return RuntimeInfo.echo();
    }

    @Override
    public String send(RuntimeRequest request) {
        return PREFIX + request.content();
    }
}
