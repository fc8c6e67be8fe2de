/**
 * Mutual TLS towards the coordinator (SPEC §18, ADR 0012): the node's key pair and certificate of the mesh CA, their
 * renewal, and the TLS context of the inbound server that accepts only the coordinator's client certificate.
 */
@NullMarked
package io.clawmesh.agent.tls;

import org.jspecify.annotations.NullMarked;
