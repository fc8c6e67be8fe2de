package io.clawmesh.agent.runtime.install;

import io.clawmesh.agent.runtime.RuntimeContext;
import io.clawmesh.agent.runtime.RuntimeSelector;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oshi.SystemInfo;

/**
 * {@code --auto-install}: OpenClaw when the machine can carry it (Node.js 22.16 or newer with npm, and about 1 GB of
 * free memory), ZeroClaw otherwise; then that runtime's installer does the rest.
 */
public class AutoInstaller implements RuntimeSelector.Installer {

    private static final Logger logger = LoggerFactory.getLogger(AutoInstaller.class);

    /** The oldest Node.js OpenClaw runs on. */
    static final int[] MIN_NODE = {22, 16};

    /** About what an OpenClaw gateway needs (0.7 GB at start, 1 GB after use). */
    static final long MIN_FREE_MEMORY = 1024L * 1024 * 1024;

    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)");

    private final Commands commands;

    private final LongSupplier availableMemory;

    private final OpenClawInstaller openclaw;

    private final ZeroClawInstaller zeroclaw;

    public AutoInstaller(
            Commands commands, LongSupplier availableMemory, OpenClawInstaller openclaw, ZeroClawInstaller zeroclaw) {
        this.commands = commands;
        this.availableMemory = availableMemory;
        this.openclaw = openclaw;
        this.zeroclaw = zeroclaw;
    }

    /** The installer for this machine: its PATH, memory, platform and home directory. */
    public static AutoInstaller forThisMachine(
            InstallProperties properties, Map<String, String> env, Path home, Clock clock) {
        Commands commands = new Commands(env, properties.runtimeEnv());
        Path binDir = (properties.binDir() != null)
                ? properties.binDir()
                : home.resolve(".local").resolve("bin");
        String target = ZeroClawInstaller.target(
                System.getProperty("os.name", ""), System.getProperty("os.arch", ""), ZeroClawInstaller.musl());
        return new AutoInstaller(
                commands,
                () -> new SystemInfo().getHardware().getMemory().getAvailable(),
                new OpenClawInstaller(properties, commands, home, clock),
                new ZeroClawInstaller(properties, binDir, commands, target, clock));
    }

    /** Which runtime and why. */
    record Choice(String kind, String reason) {}

    @Override
    public RuntimeSelector.Installed install(RuntimeContext context) {
        logger.info("Auto-install: no runtime found; checking what this machine can carry");
        Choice choice = choose(nodeVersion(), this.commands.which("npm").isPresent(), this.availableMemory.getAsLong());
        logger.info("Auto-install: installing {} ({})", choice.kind(), choice.reason());
        return choice.kind().equals("openclaw") ? this.openclaw.install(context) : this.zeroclaw.install(context);
    }

    static Choice choose(@Nullable String nodeVersion, boolean npm, long freeMemory) {
        long freeMib = freeMemory / (1024 * 1024);
        if (nodeVersion == null) {
            return new Choice("zeroclaw", "Node.js is not installed, which OpenClaw needs");
        }
        Matcher matcher = VERSION.matcher(nodeVersion.strip());
        if (!matcher.lookingAt()) {
            return new Choice("zeroclaw", "cannot read the Node.js version '" + nodeVersion.strip() + "'");
        }
        int major = Integer.parseInt(matcher.group(1));
        int minor = Integer.parseInt(matcher.group(2));
        if (major < MIN_NODE[0] || (major == MIN_NODE[0] && minor < MIN_NODE[1])) {
            return new Choice("zeroclaw", "Node.js " + nodeVersion.strip() + " is older than the 22.16 OpenClaw needs");
        }
        if (!npm) {
            return new Choice("zeroclaw", "npm is not on PATH, which installing OpenClaw needs");
        }
        if (freeMemory < MIN_FREE_MEMORY) {
            return new Choice("zeroclaw", "only " + freeMib + " MiB of memory are free; OpenClaw needs about 1 GB");
        }
        return new Choice("openclaw", "Node.js " + nodeVersion.strip() + " and " + freeMib + " MiB of free memory");
    }

    private @Nullable String nodeVersion() {
        Optional<Path> node = this.commands.which("node");
        if (node.isEmpty()) {
            return null;
        }
        Commands.Result result =
                this.commands.run(List.of(node.get().toString(), "--version"), Duration.ofSeconds(10), null);
        return result.succeeded() ? result.output().strip() : null;
    }
}
