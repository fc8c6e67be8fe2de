/** Routing rule records, rule validation and rule matching against node capabilities. */
@NullMarked
package io.clawmesh.common.routing;

import org.jspecify.annotations.NullMarked;
