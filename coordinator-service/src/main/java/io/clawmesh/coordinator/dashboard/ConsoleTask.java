package io.clawmesh.coordinator.dashboard;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the console's script gets back when it sends a message as a task: where to follow it, show it and cancel it
 * (paths within this coordinator, context path included).
 *
 * @param events the task's event stream for the session ({@code GET}, server-sent events)
 * @param page the task's own page
 * @param cancel where to {@code POST} (with the form's CSRF field) to cancel it
 */
record ConsoleTask(@JsonProperty("task_id") String taskId, String status, String events, String page, String cancel) {}
