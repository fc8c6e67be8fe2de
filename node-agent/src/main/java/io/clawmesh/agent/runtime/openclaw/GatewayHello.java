package io.clawmesh.agent.runtime.openclaw;

import java.time.Duration;
import java.util.List;

/**
 * What the gateway said in {@code hello-ok}.
 *
 * @param serverVersion the OpenClaw version, for example {@code 2026.9.6}
 * @param protocol the protocol version the gateway chose
 * @param tickInterval how often the gateway sends {@code tick} ({@code policy.tickIntervalMs})
 * @param scopes what the connection may do ({@code auth.scopes})
 */
record GatewayHello(String serverVersion, int protocol, Duration tickInterval, List<String> scopes) {}
