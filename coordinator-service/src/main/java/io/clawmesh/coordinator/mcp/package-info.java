/**
 * The MCP server at {@code /mcp} (SPEC §21, ADR 0011): the mesh as tools an assistant can call, on the official MCP
 * Java SDK's Streamable HTTP transport, behind the API security chain.
 */
@NullMarked
package io.clawmesh.coordinator.mcp;

import org.jspecify.annotations.NullMarked;
