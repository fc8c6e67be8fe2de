/**
 * The OpenAI-compatible front door (SPEC §21): {@code POST /v1/chat/completions}, plain and streamed, and
 * {@code GET /v1/models}, on the routing path ({@code MessageForwarder}); every error in OpenAI's shape. Plain
 * completions have a fast path ahead of the security chain ({@code ChatCompletionFilter}, ADR 0015).
 */
@NullMarked
package io.clawmesh.coordinator.openai;

import org.jspecify.annotations.NullMarked;
