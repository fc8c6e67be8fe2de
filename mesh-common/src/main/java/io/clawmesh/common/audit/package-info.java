/** The wire contract of the audit trail ({@code GET /api/v1/audit}) and of operator token rotation. */
@NullMarked
package io.clawmesh.common.audit;

import org.jspecify.annotations.NullMarked;
