package io.clawmesh.common.seed;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * What seed sync may share, on both sides: the OpenClaw config keys that stay node-local, and the workspace files that
 * travel (SPEC §9, path rules of SPEC §5).
 */
public final class SeedPaths {

    /** Top-level OpenClaw config keys that belong to one machine and are never shared. */
    public static final Set<String> NODE_LOCAL_KEYS = Set.of("meta", "wizard", "channels", "gateway", "bindings");

    /** The identity files at the workspace root. */
    public static final Set<String> ROOT_FILES = Set.of("SOUL.md", "IDENTITY.md", "AGENTS.md", "MEMORY.md");

    /** The folder of memory notes; only its {@code *.md} files, not sub-folders. */
    public static final String MEMORY_DIR = "memory";

    /** The largest file seed sync shares or accepts. */
    public static final int MAX_FILE_BYTES = 256 * 1024;

    private static final Pattern MEMORY_FILE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}\\.md");

    private SeedPaths() {}

    /** Whether {@code path} (relative, {@code /}-separated) is a file seed sync shares. */
    public static boolean isShared(String path) {
        if (ROOT_FILES.contains(path)) {
            return true;
        }
        String prefix = MEMORY_DIR + "/";
        return path.startsWith(prefix)
                && MEMORY_FILE.matcher(path.substring(prefix.length())).matches();
    }
}
