/** Trust between claw-mesh programs over TLS: the mesh CA's fingerprint and the pinned trust built on it (SPEC §18). */
@NullMarked
package io.clawmesh.common.tls;

import org.jspecify.annotations.NullMarked;
