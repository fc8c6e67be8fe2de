/** Reading the command line: global options, the parser and completer of Spring Shell commands, usage text, and the runner that executes one line or the shell. */
@NullMarked
package io.clawmesh.cli.parsing;

import org.jspecify.annotations.NullMarked;
