package io.clawmesh.coordinator;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the coordinator keeps its state ({@code mesh.data-dir}): the embedded database and the generated operator
 * token live here.
 */
@ConfigurationProperties("mesh")
public record MeshProperties(Path dataDir) {}
