/** Tests of the deployment files: Dockerfile, compose file, Prometheus configuration and Helm chart. */
@NullMarked
package io.clawmesh.deploy;

import org.jspecify.annotations.NullMarked;
