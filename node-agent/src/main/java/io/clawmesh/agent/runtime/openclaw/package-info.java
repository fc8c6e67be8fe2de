/**
 * The OpenClaw runtime: one long-lived gateway WebSocket per agent (protocol 3–4), with the OpenAI-compatible HTTP
 * endpoint of the same gateway as fallback, and discovery of a local gateway.
 */
@NullMarked
package io.clawmesh.agent.runtime.openclaw;

import org.jspecify.annotations.NullMarked;
