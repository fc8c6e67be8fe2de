/** The claw-mesh node agent: registers this machine with a coordinator and hands it messages to the local runtime. */
@NullMarked
package io.clawmesh.agent;

import org.jspecify.annotations.NullMarked;
