package io.clawmesh.common.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

class ProblemTypeTests {

    /** The repository root: Surefire runs in the module's directory. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void slugsShouldBeUniqueLowerCaseWords() {
        List<String> slugs =
                Arrays.stream(ProblemType.values()).map(ProblemType::slug).toList();

        assertThat(slugs).doesNotHaveDuplicates().allMatch((slug) -> slug.matches("[a-z]+(-[a-z]+)*"));
    }

    @Test
    void fromUriShouldReadEveryTypeBackAndNothingElse() {
        for (ProblemType type : ProblemType.values()) {
            assertThat(ProblemType.fromUri(type.uri().toString())).contains(type);
        }
        assertThat(ProblemType.fromUri("urn:clawmesh:problem:malformed-request"))
                .isEmpty();
        assertThat(ProblemType.fromUri("about:blank")).isEmpty();
        assertThat(ProblemType.fromUri(null)).isEmpty();
    }

    @Test
    void forStatusShouldGiveTheGeneralTypeOfAStatus() {
        assertThat(ProblemType.forStatus(401)).isEqualTo(ProblemType.UNAUTHORIZED);
        assertThat(ProblemType.forStatus(403)).isEqualTo(ProblemType.FORBIDDEN);
        assertThat(ProblemType.forStatus(405)).isEqualTo(ProblemType.METHOD_NOT_ALLOWED);
        assertThat(ProblemType.forStatus(409)).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(ProblemType.forStatus(500)).isEqualTo(ProblemType.INTERNAL_ERROR);
        assertThat(ProblemType.forStatus(503)).isEqualTo(ProblemType.SERVICE_UNAVAILABLE);
    }

    @Test
    void problemsOfShouldCarryStatusTypeAndTitleOfTheType() {
        ProblemDetail problem = Problems.of(ProblemType.NODE_NOT_FOUND, "no node 'x'");

        assertThat(problem.getStatus()).isEqualTo(HttpStatus.NOT_FOUND.value());
        assertThat(problem.getType()).hasToString("urn:clawmesh:problem:node-not-found");
        assertThat(problem.getTitle()).isEqualTo("Node not found");
        assertThat(problem.getDetail()).isEqualTo("no node 'x'");
    }

    @Test
    void mainSourcesShouldSpellProblemTypesOnlyInTheCatalog() throws IOException {
        Path catalog = ROOT.resolve("mesh-common/src/main/java/io/clawmesh/common/problem/ProblemType.java");
        assertThat(catalog).exists();
        List<Path> offenders;
        try (Stream<Path> files = Files.walk(ROOT, 12)) {
            offenders = files.filter((file) -> file.toString().endsWith(".java"))
                    .filter((file) -> ROOT.relativize(file).toString().matches("[^/]+/src/main/java/.*"))
                    .filter((file) -> !file.equals(catalog))
                    .filter((file) -> read(file).contains("urn:clawmesh:problem"))
                    .toList();
        }

        assertThat(offenders)
                .as("main sources that spell a problem type instead of using ProblemType")
                .isEmpty();
    }

    @Test
    void apiDocsShouldListEveryTypeWithItsStatus() throws IOException {
        String api = Files.readString(ROOT.resolve("docs/api.md"));

        for (ProblemType type : ProblemType.values()) {
            assertThat(api)
                    .as("docs/api.md row of %s", type)
                    .contains("| `" + type.slug() + "` | " + type.status().value() + " |");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
