/** JSON reading settings shared by every claw-mesh program. */
@NullMarked
package io.clawmesh.common.json;

import org.jspecify.annotations.NullMarked;
