/** The live event stream's wire format ({@code GET /api/v1/events}), shared by the coordinator and the CLI. */
@NullMarked
package io.clawmesh.common.event;

import org.jspecify.annotations.NullMarked;
