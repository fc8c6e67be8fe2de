/** The coordinator as the CLI calls it: the client over the shared CoordinatorApi, and its failures turned into one readable line and an exit code. */
@NullMarked
package io.clawmesh.cli.client;

import org.jspecify.annotations.NullMarked;
