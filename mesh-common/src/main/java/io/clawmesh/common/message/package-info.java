/** Message records exchanged between the CLI, the coordinator and node agents. */
@NullMarked
package io.clawmesh.common.message;

import org.jspecify.annotations.NullMarked;
