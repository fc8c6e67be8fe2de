package io.clawmesh.coordinator.messages;

/**
 * Counts over a window of the message log.
 *
 * @param total messages logged in the window, whatever their outcome
 * @param failovers messages that were tried on more than one node
 */
public record MessageCounts(long total, long failovers) {}
