/** API path constants and the HTTP interface of the coordinator. */
@NullMarked
package io.clawmesh.common.api;

import org.jspecify.annotations.NullMarked;
