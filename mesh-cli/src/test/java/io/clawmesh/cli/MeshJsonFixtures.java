package io.clawmesh.cli;

/** Coordinator answers in the wire format (snake_case), as the real coordinator sends them. */
final class MeshJsonFixtures {

    static final String MAC_ID = "node-3f9c2a1b7e6d5c4a";

    static final String GPU_ID = "node-0a1b2c3d4e5f6a7b";

    static final String OLD_ID = "node-ffffeeeeddddcccc";

    private MeshJsonFixtures() {}

    static String node(
            String id,
            String name,
            String status,
            String os,
            boolean gpu,
            String tags,
            String lastHeartbeat,
            int inflight,
            String runtimeKind,
            boolean connected) {
        return """
                {"id":"%s","name":"%s","endpoint":"192.168.1.20:9121",
                 "capabilities":{"os":"%s","arch":"arm64","gpu":%s,"memory_gb":32,"tags":[%s],"skills":["docker"]},
                 "status":"%s","last_heartbeat":%s,
                 "runtime":{"kind":"%s","version":"2026.9.6","connected":%s},
                 "inflight":%d,"capacity":4,"registered_at":"2026-11-23T20:00:00Z","future_field":"ignored"}""".formatted(
                        id,
                        name,
                        os,
                        gpu,
                        tags,
                        status,
                        (lastHeartbeat == null) ? "null" : "\"" + lastHeartbeat + "\"",
                        runtimeKind,
                        connected,
                        inflight);
    }

    /** Three nodes: two online (one with a GPU), one offline. */
    static String threeNodes() {
        return "["
                + node(
                        MAC_ID,
                        "mac-mini",
                        "online",
                        "darwin",
                        false,
                        "\"xcode\",\"local\"",
                        "2026-11-24T02:59:48Z",
                        1,
                        "openclaw",
                        true)
                + ","
                + node(GPU_ID, "linux-gpu", "online", "linux", true, "\"gpu\"", "2026-11-24T02:59:55Z", 0, "echo", true)
                + ","
                + node(OLD_ID, "old-box", "offline", "linux", false, "", "2026-11-24T01:00:00Z", 0, "zeroclaw", false)
                + "]";
    }

    static String rule(String id, String match, String target, String strategy) {
        return "{\"id\":\"" + id + "\",\"match\":" + match + ((target != null) ? ",\"target\":\"" + target + "\"" : "")
                + ",\"strategy\":\"" + strategy + "\"}";
    }

    static String twoRules() {
        return "[" + rule("rule-gpu", "{\"requires_gpu\":true}", "linux-gpu", "least-busy") + ","
                + rule("rule-any", "{\"wildcard\":true}", null, "round-robin") + "]";
    }
}
