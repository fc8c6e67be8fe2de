/** How the CLI runs: parsing, exit codes, settings and token lookup, the coordinator client and its errors. */
@NullMarked
package io.clawmesh.cli.support;

import org.jspecify.annotations.NullMarked;
