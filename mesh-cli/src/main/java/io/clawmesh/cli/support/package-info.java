/** What every part of the CLI shares: exit codes, its exceptions, cause-chain lookup and Ctrl-C handling. */
@NullMarked
package io.clawmesh.cli.support;

import org.jspecify.annotations.NullMarked;
