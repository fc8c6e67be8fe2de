/** The CLI's AOT-cache training run: real verbs against a stand-in coordinator on loopback (issue 18). */
@NullMarked
package io.clawmesh.cli.training;

import org.jspecify.annotations.NullMarked;
