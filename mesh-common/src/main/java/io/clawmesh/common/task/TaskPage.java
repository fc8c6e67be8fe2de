package io.clawmesh.common.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of {@code GET /api/v1/tasks}, newest first.
 *
 * @param nextCursor the opaque cursor of the next page, {@code null} on the last page
 */
public record TaskPage(
        List<TaskView> tasks,
        @JsonProperty("next_cursor") @Nullable String nextCursor) {}
