/** The ZeroClaw runtime: its gateway's {@code /webhook} API, zero-touch pairing on loopback and the pairing token. */
@NullMarked
package io.clawmesh.agent.runtime.zeroclaw;

import org.jspecify.annotations.NullMarked;
