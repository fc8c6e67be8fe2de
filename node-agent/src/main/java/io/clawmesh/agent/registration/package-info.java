/** Registration with the coordinator, the stored node identity, heartbeats and deregistration on shutdown. */
@NullMarked
package io.clawmesh.agent.registration;

import org.jspecify.annotations.NullMarked;
