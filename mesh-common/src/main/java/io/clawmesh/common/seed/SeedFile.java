package io.clawmesh.common.seed;

/**
 * One workspace file shared by seed sync.
 *
 * @param path relative to the workspace, with {@code /} separators: {@code SOUL.md}, {@code memory/2026-11-23.md}
 * @param content its text (UTF-8)
 */
public record SeedFile(String path, String content) {}
