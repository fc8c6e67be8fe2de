/** Detection of what this machine offers: platform, GPU, memory, tags and skills. */
@NullMarked
package io.clawmesh.agent.capabilities;

import org.jspecify.annotations.NullMarked;
