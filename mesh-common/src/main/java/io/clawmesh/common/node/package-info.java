/** Node wire records (registration, heartbeat, the node view) and validation of names, tags and endpoints. */
@NullMarked
package io.clawmesh.common.node;

import org.jspecify.annotations.NullMarked;
