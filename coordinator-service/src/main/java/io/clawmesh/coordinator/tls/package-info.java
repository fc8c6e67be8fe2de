/** The mesh's own CA and the coordinator's HTTPS (SPEC §18, ADR 0012). */
@NullMarked
package io.clawmesh.coordinator.tls;

import org.jspecify.annotations.NullMarked;
