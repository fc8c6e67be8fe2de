/** How results look: aligned tables, relative times, colour on terminals only, and JSON for scripts. */
@NullMarked
package io.clawmesh.cli.output;

import org.jspecify.annotations.NullMarked;
