package io.clawmesh.common.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The house rules a machine can check, shared by the three apps' {@code ArchitectureTests}: feature packages without
 * cycles (docs/architecture.md), the names STYLE.md forbids, and Jackson 3 only. An app's test extends this with its
 * base package.
 */
public abstract class HouseRules {

    /** One import per app and test run: JUnit makes a new instance for each test method. */
    private static final Map<String, JavaClasses> IMPORTED = new ConcurrentHashMap<>();

    private final String basePackage;

    protected HouseRules(String basePackage) {
        this.basePackage = basePackage;
    }

    @Test
    void featurePackagesWhenComparedShouldHaveNoCycle() {
        slices().matching(this.basePackage + ".(*)..")
                .namingSlices("$1")
                .should()
                .beFreeOfCycles()
                .check(classes());
    }

    @Test
    void classNamesWhenCheckedShouldNotBeGrabBagsOrRoleless() {
        noClasses()
                .should()
                .haveSimpleNameEndingWith("Impl")
                .orShould()
                .haveSimpleNameEndingWith("Manager")
                .orShould()
                .haveSimpleNameEndingWith("Helper")
                .orShould()
                .haveSimpleNameEndingWith("Util")
                .orShould()
                .haveSimpleNameEndingWith("Utils")
                .orShould()
                .haveSimpleNameEndingWith("Service")
                .because("STYLE.md names a class by its role: no *Impl, *Manager, *Helper, *Util or role-less *Service")
                .check(classes());
    }

    @Test
    void codeWhenUsingJsonShouldUseJackson3() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("com.fasterxml.jackson.databind..")
                .because("Jackson 2 is on the class path only for Flyway; the apps use tools.jackson (STACK.md)")
                .check(classes());
    }

    private JavaClasses classes() {
        return IMPORTED.computeIfAbsent(
                this.basePackage,
                (base) -> new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages(base));
    }
}
