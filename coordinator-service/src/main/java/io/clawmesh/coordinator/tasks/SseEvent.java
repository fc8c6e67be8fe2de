package io.clawmesh.coordinator.tasks;

import org.jspecify.annotations.Nullable;

/**
 * One server-sent event as read from an agent's stream.
 *
 * @param id its {@code id:}, if it had one
 * @param name its {@code event:} name ({@code message} when it had none)
 * @param data its {@code data:} lines joined by newlines
 */
record SseEvent(@Nullable String id, String name, String data) {}
