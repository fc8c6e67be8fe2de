/** HTTP error handling: every error is an RFC 9457 problem with a stable type. */
@NullMarked
package io.clawmesh.coordinator.web;

import org.jspecify.annotations.NullMarked;
