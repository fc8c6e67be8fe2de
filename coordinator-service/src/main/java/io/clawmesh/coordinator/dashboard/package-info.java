/** The web dashboard: server-rendered pages behind form login, and their live updates from the event stream. */
@NullMarked
package io.clawmesh.coordinator.dashboard;

import org.jspecify.annotations.NullMarked;
