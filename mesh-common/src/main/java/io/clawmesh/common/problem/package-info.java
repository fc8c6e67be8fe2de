/** The RFC 9457 problem types every claw-mesh app answers with and the CLI reads: one catalog, one URN scheme. */
@NullMarked
package io.clawmesh.common.problem;

import org.jspecify.annotations.NullMarked;
