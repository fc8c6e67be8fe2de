/** Client keys (SPEC §21): the wire records of {@code /api/v1/keys} and the OpenAI-compatible error shape. */
@NullMarked
package io.clawmesh.common.key;

import org.jspecify.annotations.NullMarked;
