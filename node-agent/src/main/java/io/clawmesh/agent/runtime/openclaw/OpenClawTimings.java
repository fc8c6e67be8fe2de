package io.clawmesh.agent.runtime.openclaw;

import java.time.Duration;

/**
 * The waits of the OpenClaw adapter; tests shorten them.
 *
 * @param handshake how long socket, challenge and {@code hello-ok} may take together
 * @param reconnectInitial the first delay after a failed connection; doubles per failure, plus jitter
 * @param reconnectMax the longest delay between connection attempts
 * @param connectWait how long a new message waits for the WebSocket before it fails (or goes over HTTP)
 * @param recoveryWait how long {@code agent.wait} is asked to wait for a run after a reconnect before the run is
 *     submitted again with the same idempotency key
 * @param healthInterval how often {@code GET /healthz} is asked while there is no WebSocket
 * @param abortWait how long {@code chat.abort} may take
 * @param busyRetry the longest pause before a request the gateway answered {@code UNAVAILABLE} goes again
 * @param resumeWait how long a one-off run the gateway lost in a restart may be refused (while the gateway resumes it
 *     under a new run id, which the agent then follows) before it goes again under a derived key
 */
record OpenClawTimings(
        Duration handshake,
        Duration reconnectInitial,
        Duration reconnectMax,
        Duration connectWait,
        Duration recoveryWait,
        Duration healthInterval,
        Duration abortWait,
        Duration busyRetry,
        Duration resumeWait) {

    static OpenClawTimings defaults() {
        return new OpenClawTimings(
                Duration.ofSeconds(15),
                Duration.ofMillis(500),
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                Duration.ofSeconds(3),
                Duration.ofSeconds(5),
                Duration.ofSeconds(2),
                Duration.ofSeconds(1),
                Duration.ofSeconds(45));
    }
}
