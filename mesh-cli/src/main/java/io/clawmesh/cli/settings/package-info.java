/** Where the CLI finds its settings: flags, environment, config file and the local operator token, resolved once per command. */
@NullMarked
package io.clawmesh.cli.settings;

import org.jspecify.annotations.NullMarked;
