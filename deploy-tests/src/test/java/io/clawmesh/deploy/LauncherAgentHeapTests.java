package io.clawmesh.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code claw-mesh join} starts the agent's JVM: with {@code -XX:+ExitOnOutOfMemoryError} (a dead agent is seen
 * offline and restarted; a half-alive one holds its tasks), and with a heap sized from {@code --capacity} unless
 * {@code CLAW_MESH_AGENT_JVM_OPTS} chooses the flags. The launcher runs in an unpacked distribution whose JDK is a
 * stand-in: its {@code java} writes the arguments it got to a file.
 */
class LauncherAgentHeapTests {

    @TempDir
    Path dir;

    @Test
    void joinWithoutACapacityShouldStartTheAgentOnTheDefault48MibThatExitsOnOutOfMemory() throws IOException {
        List<String> java = join(Map.of(), "http://127.0.0.1:1");

        assertThat(java).contains("-Xmx48m", "-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC");
    }

    @Test
    void joinWithALargeCapacityShouldSizeTheHeapAt36MibPlus128KibASlot() throws IOException {
        List<String> java = join(Map.of(), "http://127.0.0.1:1", "--capacity", "400");

        assertThat(java).contains("-Xmx86m", "-XX:+ExitOnOutOfMemoryError", "--mesh.agent.capacity=400");
        assertThat(java).doesNotContain("-Xmx48m");
        assertThat(join(Map.of(), "http://127.0.0.1:1", "--capacity=1000")).contains("-Xmx161m");
    }

    @Test
    void joinWithASmallCapacityShouldKeepTheDefaultHeap() throws IOException {
        assertThat(join(Map.of(), "http://127.0.0.1:1", "--capacity", "16")).contains("-Xmx48m");
    }

    @Test
    void joinWithFlagsOfTheUsersOwnShouldUseThemAsTheyAre() throws IOException {
        List<String> java =
                join(Map.of("CLAW_MESH_AGENT_JVM_OPTS", "-Xmx40m -Xss512k"), "http://127.0.0.1:1", "--capacity", "400");

        assertThat(java).contains("-Xmx40m", "-Xss512k", "--mesh.agent.capacity=400");
        assertThat(java).noneMatch((argument) -> argument.startsWith("-Xmx") && !argument.equals("-Xmx40m"));
        assertThat(java).doesNotContain("-XX:+ExitOnOutOfMemoryError");
    }

    @Test
    void joinWithACapacityThatIsNoNumberShouldLeaveTheHeapAndTheRefusalToTheAgent() throws IOException {
        List<String> java = join(Map.of(), "http://127.0.0.1:1", "--capacity", "lots");

        assertThat(java).contains("-Xmx48m", "--mesh.agent.capacity=lots");
    }

    /** Runs {@code bin/claw-mesh join ARGS} and answers the arguments its stand-in {@code java} was started with. */
    private List<String> join(Map<String, String> env, String... args) throws IOException {
        Path home = distribution();
        Path marks = this.dir.resolve("java-args-" + System.nanoTime());
        Map<String, String> set = new HashMap<>(env);
        set.put("JAVA_HOME", jdk().toString());
        set.put("JAVA_ARGS_FILE", marks.toString());
        set.put("HOME", this.dir.toString());
        set.put("CLAW_MESH_AOT", "off");
        List<String> command =
                new ArrayList<>(List.of("sh", home.resolve("bin/claw-mesh").toString(), "join"));
        command.addAll(List.of(args));

        Commands.Result result = Commands.run(this.dir, command, List.of("CLAW_MESH_AGENT_JVM_OPTS"), set);

        assertThat(result.exitCode()).as(result.err()).isZero();
        return Files.readAllLines(marks);
    }

    /** An unpacked distribution: the launcher and find-jdk in bin/, empty jars in lib/. */
    private Path distribution() throws IOException {
        Path home = this.dir.resolve("claw-mesh");
        if (Files.isDirectory(home)) {
            return home;
        }
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path lib = Files.createDirectories(home.resolve("lib"));
        Files.copy(DeployFiles.file("claw-mesh"), bin.resolve("claw-mesh"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(DeployFiles.file("scripts/find-jdk"), bin.resolve("find-jdk"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String jar : List.of("mesh-cli.jar", "coordinator-service.jar", "node-agent.jar")) {
            Files.createFile(lib.resolve(jar));
        }
        return home;
    }

    /** A stand-in JDK 21 (no AOT cache): its java writes one argument a line to {@code $JAVA_ARGS_FILE}. */
    private Path jdk() throws IOException {
        Path home = this.dir.resolve("jdk-21");
        Path bin = Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"21.0.7\"\n");
        executable(bin.resolve("java"), "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$JAVA_ARGS_FILE\"\n");
        executable(bin.resolve("javac"), "#!/bin/sh\nexit 0\n");
        return home;
    }

    private static void executable(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
