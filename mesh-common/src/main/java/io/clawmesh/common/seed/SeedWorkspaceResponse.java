package io.clawmesh.common.seed;

import java.util.List;

/** The identity and memory files of the coordinator's workspace ({@code GET /api/v1/seed/workspace}). */
public record SeedWorkspaceResponse(List<SeedFile> files) {}
