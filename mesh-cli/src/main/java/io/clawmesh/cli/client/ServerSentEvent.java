package io.clawmesh.cli.client;

import org.jspecify.annotations.Nullable;

/**
 * One server-sent event as received: its {@code event:} name ({@code message} when absent), its {@code id:} if it had
 * one, and its {@code data:} lines joined with newlines. The data is untrusted text until parsed and escaped.
 */
public record ServerSentEvent(String event, @Nullable String id, String data) {}
