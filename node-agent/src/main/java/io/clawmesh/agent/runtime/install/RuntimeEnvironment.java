package io.clawmesh.agent.runtime.install;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The environment of a process the agent starts (npm, a runtime gateway): an allow-list of the agent's own variables
 * plus what the runtime needs, never the agent's secrets. The agent's environment can hold the operator token
 * ({@code CLAW_MESH_TOKEN}), its node token ({@code MESH_AGENT_TOKEN}) or both inside
 * {@code SPRING_APPLICATION_JSON}; a runtime runs model-chosen tools, so it must not see them.
 */
public final class RuntimeEnvironment {

    /** What every started process gets from the agent's environment. */
    static final List<String> BASE = List.of("PATH", "HOME", "LANG", "LC_*", "TZ", "TMPDIR", "USER");

    /** Network settings a download or a model call needs behind a proxy or a private CA; not mesh secrets. */
    static final List<String> NETWORK = List.of(
            "HTTPS_PROXY",
            "https_proxy",
            "HTTP_PROXY",
            "http_proxy",
            "NO_PROXY",
            "no_proxy",
            "NODE_EXTRA_CA_CERTS",
            "SSL_CERT_FILE",
            "SSL_CERT_DIR");

    private static final Pattern PATTERN = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)?\\*?");

    private final Map<String, String> agent;

    private final List<String> passThrough;

    /**
     * @param agent the agent's own environment
     * @param passThrough further names (or prefixes ending in {@code *}) the operator lets through
     */
    public RuntimeEnvironment(Map<String, String> agent, List<String> passThrough) {
        passThrough.forEach(RuntimeEnvironment::checkPassThrough);
        this.agent = Map.copyOf(agent);
        this.passThrough = List.copyOf(passThrough);
    }

    /**
     * The environment of one process: the agent's variables that match {@link #BASE}, {@link #NETWORK}, the
     * operator's pass-through list or {@code own} (the runtime's namespace, such as {@code ZEROCLAW_*}), then
     * {@code explicit} on top. A mesh variable is never included, whatever matches it.
     */
    public Map<String, String> forProcess(List<String> own, Map<String, String> explicit) {
        List<String> allowed = new ArrayList<>(BASE);
        allowed.addAll(NETWORK);
        allowed.addAll(this.passThrough);
        allowed.addAll(own);
        Map<String, String> env = new TreeMap<>();
        this.agent.forEach((name, value) -> {
            if (!isMeshVariable(name) && allowed.stream().anyMatch((pattern) -> matches(pattern, name))) {
                env.put(name, value);
            }
        });
        explicit.forEach((name, value) -> {
            if (isMeshVariable(name)) {
                throw new IllegalArgumentException(name + " must never be passed to a runtime");
            }
            env.put(name, value);
        });
        return env;
    }

    /** Whether {@code name} belongs to the agent (its tokens and settings), not to what it starts. */
    static boolean isMeshVariable(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return upper.startsWith("CLAW_MESH_") || upper.startsWith("MESH_") || upper.equals("SPRING_APPLICATION_JSON");
    }

    /** Refuses a pass-through entry that is not a variable name or prefix, or that would name a mesh variable. */
    static void checkPassThrough(String entry) {
        if (!PATTERN.matcher(entry).matches()) {
            throw new IllegalArgumentException("mesh.agent.install.runtime-env entries are variable names or "
                    + "prefixes ending in *, such as OPENAI_API_KEY or ANTHROPIC_*, not '" + entry + "'");
        }
        String stem = entry.endsWith("*") ? entry.substring(0, entry.length() - 1) : entry;
        if (stem.isEmpty() || isMeshVariable(stem)) {
            throw new IllegalArgumentException("mesh.agent.install.runtime-env must not pass every variable nor the "
                    + "agent's own (CLAW_MESH_*, MESH_*, SPRING_APPLICATION_JSON) to a runtime: '" + entry + "'");
        }
    }

    private static boolean matches(String pattern, String name) {
        return pattern.endsWith("*")
                ? name.startsWith(pattern.substring(0, pattern.length() - 1))
                : name.equals(pattern);
    }
}
