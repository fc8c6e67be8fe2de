/** Web plumbing shared by the endpoints: RFC 9457 problem bodies and the request size limit. */
@NullMarked
package io.clawmesh.agent.web;

import org.jspecify.annotations.NullMarked;
