/** The load generator behind {@code bench/run.sh}. */
@NullMarked
package io.clawmesh.bench;

import org.jspecify.annotations.NullMarked;
