/** HTTP plumbing shared by the agent's endpoints: JSON bodies, the 1 MiB limit and RFC 9457 problem answers. */
@NullMarked
package io.clawmesh.agent.web;

import org.jspecify.annotations.NullMarked;
