package io.clawmesh.coordinator.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import tools.jackson.databind.json.JsonMapper;

/** Tokens and request bodies of the coordinator API tests; bodies are maps so a test can break one field. */
final class ApiFixtures {

    static final String OPERATOR_TOKEN = "cmo_test-operator-token-for-web-tests";

    static final String JOIN_TOKEN = "cmj_test-join-token-for-web-tests";

    /** A node id of the shape the coordinator issues that no test ever registers. */
    static final String UNKNOWN_NODE_ID = "node-00000000deadbeef";

    static final String UNKNOWN_RULE_ID = "rule-00000000dead";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ApiFixtures() {}

    static String json(Object body) {
        return JSON.writeValueAsString(body);
    }

    static Map<String, Object> registration(String name, String endpoint) {
        return map("name", name, "endpoint", endpoint, "capabilities", capabilities());
    }

    /** A Linux GPU node, the one the fixture rule {@link #gpuRule()} routes to. */
    static Map<String, Object> capabilities() {
        return map(
                "os",
                "linux",
                "arch",
                "amd64",
                "gpu",
                true,
                "memory_gb",
                32,
                "tags",
                List.of("gpu", "local"),
                "skills",
                List.of("docker"));
    }

    static Map<String, Object> registrationWithCapability(String name, String endpoint, String key, Object value) {
        Map<String, Object> capabilities = capabilities();
        capabilities.put(key, value);
        return with(registration(name, endpoint), "capabilities", capabilities);
    }

    static Map<String, Object> heartbeat(String status) {
        return map("status", status, "inflight", 0, "capacity", 4);
    }

    static Map<String, Object> gpuRule() {
        return map("match", map("requires_gpu", true), "strategy", "least-busy");
    }

    static Map<String, Object> osRule(String os) {
        return map("match", map("requires_os", os));
    }

    static Map<String, Object> wildcardRule() {
        return map("match", map("wildcard", true));
    }

    static Map<String, Object> route(String content) {
        return map("content", content, "source", "web-tests");
    }

    static Map<String, Object> position(Object position) {
        return map("position", position);
    }

    /** A copy of {@code body} with one field set (or replaced). */
    static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(body);
        copy.put(key, value);
        return copy;
    }

    static List<String> labels(int count) {
        return IntStream.range(0, count).mapToObj((i) -> "tag-" + i).toList();
    }

    /** A syntactically valid rule body of about {@code bytes} bytes, so only its size is wrong. */
    static byte[] oversizeBody(int bytes) {
        return ("{\"match\":{\"requires_os\":\"" + "x".repeat(bytes) + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
