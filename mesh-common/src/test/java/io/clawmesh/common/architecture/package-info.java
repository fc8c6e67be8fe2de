/** House rules checked by ArchUnit, shared with the apps through mesh-common's test jar. */
@NullMarked
package io.clawmesh.common.architecture;

import org.jspecify.annotations.NullMarked;
