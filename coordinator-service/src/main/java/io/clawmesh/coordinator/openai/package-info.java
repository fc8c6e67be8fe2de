/**
 * The OpenAI-compatible front door (SPEC §21): {@code POST /v1/chat/completions}, plain and streamed, and
 * {@code GET /v1/models}, on the routing path ({@code MessageForwarder}); every error in OpenAI's shape.
 */
@NullMarked
package io.clawmesh.coordinator.openai;

import org.jspecify.annotations.NullMarked;
