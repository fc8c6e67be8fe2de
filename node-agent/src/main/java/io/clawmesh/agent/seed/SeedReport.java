package io.clawmesh.agent.seed;

import java.util.List;

/**
 * What one seed sync did.
 *
 * @param config {@code merged}, {@code unchanged}, {@code none offered} or why it was left alone
 * @param written workspace files written
 * @param unchanged workspace files that already had the coordinator's content
 * @param refused workspace files refused, each with the reason
 */
public record SeedReport(String config, List<String> written, List<String> unchanged, List<String> refused) {}
