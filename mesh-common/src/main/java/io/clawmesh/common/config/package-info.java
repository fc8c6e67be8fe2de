/** The {@code claw-mesh.yaml} file in the Go layout, its {@code CLAW_MESH_*} overrides, and their Spring mapping. */
@NullMarked
package io.clawmesh.common.config;

import org.jspecify.annotations.NullMarked;
