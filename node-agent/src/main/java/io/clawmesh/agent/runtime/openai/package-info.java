/** The runtime for any OpenAI-compatible endpoint ({@code POST /chat/completions}, JSON or server-sent events). */
@NullMarked
package io.clawmesh.agent.runtime.openai;

import org.jspecify.annotations.NullMarked;
