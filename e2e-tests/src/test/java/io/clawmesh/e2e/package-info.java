/** End-to-end tests: the built coordinator and agent jars as real processes on loopback. */
@NullMarked
package io.clawmesh.e2e;

import org.jspecify.annotations.NullMarked;
