package io.clawmesh.deploy;

import static io.clawmesh.deploy.DeployFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every value of the chart is documented in values.yaml and typed in values.schema.json. */
class HelmValuesDocumentationTests {

    /** Blocks that are Kubernetes objects passed through as they are, documented once at the top. */
    private static final Set<String> PASSED_THROUGH =
            Set.of("coordinator.resources", "agent.resources", "podSecurityContext", "securityContext");

    private final String valuesText = DeployFiles.read("helm/claw-mesh/values.yaml");

    private final JsonNode schema =
            JsonMapper.builder().build().readTree(DeployFiles.read("helm/claw-mesh/values.schema.json"));

    @Test
    void everyValueShouldHaveATypeInTheSchema() {
        List<String> untyped = new ArrayList<>();
        walk(DeployFiles.yaml(this.valuesText), "", (path) -> {
            JsonNode node = this.schema;
            for (String key : path.split("\\.")) {
                node = node.path("properties").path(key);
            }
            if (node.isMissingNode() || !node.has("type") || !node.has("description")) {
                untyped.add(path);
            }
        });
        assertThat(untyped).isEmpty();
    }

    @Test
    void everyValueShouldHaveACommentAboveIt() {
        List<String> lines = this.valuesText.lines().toList();
        List<String> undocumented = new ArrayList<>();
        walk(DeployFiles.yaml(this.valuesText), "", (path) -> {
            String key = path.substring(path.lastIndexOf('.') + 1);
            int parentIndent = 2 * (path.split("\\.").length - 1);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).equals(" ".repeat(parentIndent) + key + ":")
                        || lines.get(i).startsWith(" ".repeat(parentIndent) + key + ": ")) {
                    String previous = (i > 0) ? lines.get(i - 1).strip() : "";
                    if (!previous.startsWith("#")) {
                        undocumented.add(path);
                    }
                    return;
                }
            }
            undocumented.add(path + " (not found)");
        });
        assertThat(undocumented).isEmpty();
    }

    /** Calls back with the dotted path of every leaf value and of every passed-through block. */
    private static void walk(Map<String, Object> values, String prefix, java.util.function.Consumer<String> leaf) {
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            String path = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
            if (entry.getValue() instanceof Map<?, ?> child && !child.isEmpty() && !PASSED_THROUGH.contains(path)) {
                walk(map(child), path, leaf);
            } else {
                leaf.accept(path);
            }
        }
    }
}
