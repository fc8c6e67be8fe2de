package io.clawmesh.coordinator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The house rules of the coordinator that a machine can check: feature packages without cycles (docs/architecture.md) and the
 * names STYLE.md forbids.
 */
class ArchitectureTests {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.clawmesh.coordinator");

    @Test
    void featurePackagesWhenComparedShouldHaveNoCycle() {
        slices().matching("io.clawmesh.coordinator.(*)..")
                .namingSlices("$1")
                .should()
                .beFreeOfCycles()
                .check(CLASSES);
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
                .check(CLASSES);
    }

    @Test
    void codeWhenUsingJsonShouldUseJackson3() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("com.fasterxml.jackson.databind..")
                .because("Jackson 2 is on the class path only for Flyway; the apps use tools.jackson (STACK.md)")
                .check(CLASSES);
    }
}
