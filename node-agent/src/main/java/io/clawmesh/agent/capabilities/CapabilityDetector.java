package io.clawmesh.agent.capabilities;

import io.clawmesh.common.node.Capabilities;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Detects what this machine offers (SPEC §9): platform in Go names, GPU, memory, the configured tags and the skills
 * of tools found on {@code PATH}. Tools are found by looking at files, never by running them; only {@code nvidia-smi}
 * is run, and only when it is on the {@code PATH}.
 */
public class CapabilityDetector {

    private static final Duration GPU_PROBE_TIMEOUT = Duration.ofSeconds(3);

    private static final long GIB = 1024L * 1024 * 1024;

    /** Executables on PATH and the skill each one gives, in the order skills are reported. */
    private static final List<Map.Entry<String, String>> TOOL_SKILLS = List.of(
            Map.entry("docker", "docker"),
            Map.entry("xcodebuild", "xcode"),
            Map.entry("python3", "python"),
            Map.entry("node", "nodejs"),
            Map.entry("go", "golang"),
            Map.entry("rustc", "rust"),
            Map.entry("kubectl", "kubernetes"));

    private final String os;

    private final String arch;

    private final Map<String, String> env;

    private final Path home;

    private final LongSupplier totalMemoryBytes;

    private final CommandProbe probe;

    private final List<String> tags;

    /**
     * @param osName the JVM's {@code os.name}
     * @param osArch the JVM's {@code os.arch}
     * @param env environment variables; {@code PATH}, {@code PATHEXT} (Windows) and {@code OPENCLAW_CONFIG_PATH} are
     *     read
     * @param home the user's home directory
     */
    public CapabilityDetector(
            String osName,
            String osArch,
            Map<String, String> env,
            Path home,
            LongSupplier totalMemoryBytes,
            CommandProbe probe,
            List<String> tags) {
        this.os = goOs(osName);
        this.arch = goArch(osArch);
        this.env = Map.copyOf(env);
        this.home = home;
        this.totalMemoryBytes = totalMemoryBytes;
        this.probe = probe;
        this.tags = List.copyOf(tags);
    }

    /** Detects the capabilities now. */
    public Capabilities detect() {
        return new Capabilities(this.os, this.arch, gpu(), memoryGb(), this.tags, skills());
    }

    /** The Go name of an {@code os.name}: {@code linux}, {@code darwin}, {@code windows}, or the name lower-cased. */
    static String goOs(String osName) {
        String name = osName.toLowerCase(Locale.ROOT);
        if (name.startsWith("linux")) {
            return "linux";
        }
        if (name.startsWith("mac") || name.startsWith("darwin")) {
            return "darwin";
        }
        if (name.startsWith("windows")) {
            return "windows";
        }
        if (name.contains("freebsd")) {
            return "freebsd";
        }
        return name.replaceAll("[^a-z0-9]", "");
    }

    /** The Go name of an {@code os.arch}: {@code amd64}, {@code arm64}, {@code 386}, {@code arm}, … */
    static String goArch(String osArch) {
        String name = osArch.toLowerCase(Locale.ROOT);
        return switch (name) {
            case "x86_64", "amd64", "x64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i486", "i586", "i686" -> "386";
            case "arm", "armv7l", "armv6l", "aarch32" -> "arm";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> name;
        };
    }

    private boolean gpu() {
        if ("darwin".equals(this.os) && "arm64".equals(this.arch)) {
            return true; // Apple Silicon: the GPU is part of the chip
        }
        return findExecutable("nvidia-smi")
                .map((smi) -> this.probe.succeeds(List.of(smi.toString(), "-L"), GPU_PROBE_TIMEOUT))
                .orElse(false);
    }

    private int memoryGb() {
        long bytes = this.totalMemoryBytes.getAsLong();
        return (bytes <= 0) ? 0 : (int) Math.round((double) bytes / GIB);
    }

    private List<String> skills() {
        List<String> skills = new ArrayList<>();
        for (Map.Entry<String, String> tool : TOOL_SKILLS) {
            if (findExecutable(tool.getKey()).isPresent()) {
                skills.add(tool.getValue());
            }
        }
        if (Files.isRegularFile(openClawConfig())) {
            skills.add("openclaw-gateway");
        }
        return skills;
    }

    private Path openClawConfig() {
        String configured = this.env.get("OPENCLAW_CONFIG_PATH");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return this.home.resolve(".openclaw").resolve("openclaw.json");
    }

    /** Looks for an executable file called {@code name} in the directories of {@code PATH}. */
    Optional<Path> findExecutable(String name) {
        String path = this.env.get("PATH");
        if (path == null || path.isBlank()) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isBlank()) {
                continue;
            }
            for (String candidate : candidateNames(name)) {
                Path file = resolve(directory, candidate);
                if (file != null && Files.isRegularFile(file) && Files.isExecutable(file)) {
                    return Optional.of(file);
                }
            }
        }
        return Optional.empty();
    }

    private List<String> candidateNames(String name) {
        if (!"windows".equals(this.os)) {
            return List.of(name);
        }
        String extensions = this.env.getOrDefault("PATHEXT", ".EXE;.CMD;.BAT;.COM");
        List<String> names = new ArrayList<>();
        for (String extension : extensions.split(";")) {
            if (!extension.isBlank()) {
                names.add(name + extension.toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    private static @Nullable Path resolve(String directory, String name) {
        try {
            return Path.of(directory).resolve(name);
        } catch (InvalidPathException ex) {
            return null;
        }
    }
}
