/** API security: operator, join and node tokens, the SSRF policy for node endpoints and the request body limit. */
@NullMarked
package io.clawmesh.coordinator.security;

import org.jspecify.annotations.NullMarked;
