/**
 * {@code --auto-install}: picks the runtime the machine can carry, installs it the way its project documents, configures
 * it for loopback, starts it and waits for its health endpoint, saying what it does at every step.
 */
@NullMarked
package io.clawmesh.agent.runtime.install;

import org.jspecify.annotations.NullMarked;
