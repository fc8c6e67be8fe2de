package io.clawmesh.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/find-jdk}, which the launcher runs before every verb: it reads a JDK's version from its release
 * file without starting it, starts only a JDK that has none, and never picks a JRE or a JDK older than 21. The JDKs
 * here are stand-ins whose {@code java} leaves a mark when it is started.
 */
class FindJdkScriptTests {

    @TempDir
    Path dir;

    @Test
    void aJdkWithAReleaseFileIsChosenWithoutStartingIt() throws IOException {
        Path home = jdk("jdk-25", "JAVA_VERSION=\"25.0.3\"", "25", true);

        Commands.Result result = findJdk(home);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().strip()).isEqualTo(home.toRealPath().toString());
        assertThat(home.resolve("started")).doesNotExist();
    }

    @Test
    void aJdkWithoutAReleaseFileIsAskedForItsVersion() throws IOException {
        Path home = jdk("jdk-21", null, "21", true);

        Commands.Result result = findJdk(home);

        assertThat(result.out().strip()).isEqualTo(home.toRealPath().toString());
        assertThat(home.resolve("started")).exists();
    }

    @Test
    void olderJdksAndJresAreNotChosen() throws IOException {
        Path seventeen = jdk("jdk-17", "JAVA_VERSION=\"17.0.15\"", "17", true);
        Path eight = jdk("jdk-8", "JAVA_VERSION=\"1.8.0_292\"", "1.8", true);
        Path jre = jdk("jre-25", "JAVA_VERSION=\"25\"", "25", false);

        for (Path home : List.of(seventeen, eight, jre)) {
            Commands.Result result = findJdk(home);

            // another JDK on this machine may answer, or none with exit 1 and the message; never this one
            assertThat(result.out().strip())
                    .as(home.toString())
                    .isNotEqualTo(home.toRealPath().toString());
            if (result.exitCode() != 0) {
                assertThat(result.err()).contains("no JDK 21 or newer found");
            }
        }
    }

    @Test
    void aJdkNamedByJavaHomeIsChosenWithoutStartingAnyProgram() throws IOException {
        Path home = jdk("jdk-25", "JAVA_VERSION=\"25.0.3\"", "25", true);
        // a PATH of stand-ins for every program the script could start: none may run (the launcher pays for each)
        Path bin = Files.createDirectories(this.dir.resolve("path"));
        for (String program : List.of("dirname", "readlink", "sed", "cat", "ls", "sort", "head", "java")) {
            executable(bin.resolve(program), "#!/bin/sh\n: > \"" + this.dir.resolve("ran-" + program) + "\"\n");
        }

        Commands.Result result = Commands.run(
                this.dir,
                List.of("/bin/sh", DeployFiles.file("scripts/find-jdk").toString()),
                List.of(),
                Map.of("JAVA_HOME", home.toString(), "PATH", bin.toString()));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().strip()).isEqualTo(home.toRealPath().toString());
        try (Stream<Path> files = Files.list(this.dir)) {
            assertThat(files.map((file) -> file.getFileName().toString())).noneMatch((name) -> name.startsWith("ran-"));
        }
    }

    @Test
    void aJdkReachedThroughALinkIsPrintedByItsRealPath() throws IOException {
        Path home = jdk("jdk-25", "JAVA_VERSION=\"25.0.3\"", "25", true);
        Path link = Files.createSymbolicLink(this.dir.resolve("current-jdk"), home);

        Commands.Result result = findJdk(link);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().strip()).isEqualTo(home.toRealPath().toString());
    }

    @Test
    void sourcedItOnlyDefinesFindJdkWhichSetsTheHomeAndVersionAndPrintsNothing() throws IOException {
        Path home = jdk("jdk-25", "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"25.0.3\"", "25", true);
        String script = "find_jdk_sourced=true; . '" + DeployFiles.file("scripts/find-jdk")
                + "'; echo sourced; find_jdk && echo \"home=$FIND_JDK_HOME version=$FIND_JDK_VERSION\"";

        Commands.Result result =
                Commands.run(this.dir, List.of("sh", "-c", script), List.of(), Map.of("JAVA_HOME", home.toString()));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().lines()).containsExactly("sourced", "home=" + home.toRealPath() + " version=25");
        assertThat(home.resolve("started")).doesNotExist();
    }

    private Commands.Result findJdk(Path javaHome) {
        return Commands.run(
                this.dir,
                List.of("sh", DeployFiles.file("scripts/find-jdk").toString()),
                List.of(),
                Map.of("JAVA_HOME", javaHome.toString()));
    }

    /** A stand-in JDK: bin/java prints the version property the way a real one does and marks that it ran. */
    private Path jdk(String name, String release, String specificationVersion, boolean withJavac) throws IOException {
        Path home = Files.createDirectories(this.dir.resolve(name));
        Path bin = Files.createDirectories(home.resolve("bin"));
        if (release != null) {
            Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\n" + release + "\n");
        }
        executable(
                bin.resolve("java"),
                "#!/bin/sh\ntouch \"" + home.resolve("started") + "\"\n" + "echo '    java.specification.version = "
                        + specificationVersion + "' >&2\n");
        if (withJavac) {
            executable(bin.resolve("javac"), "#!/bin/sh\nexit 0\n");
        }
        return home;
    }

    private static void executable(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
