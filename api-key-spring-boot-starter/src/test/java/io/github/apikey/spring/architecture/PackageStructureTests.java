package io.github.apikey.spring.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The starter's package rules: feature packages know nothing of Spring Boot configuration (they take plain values
 * and beans, as Spring Security's configurers do), packages form no cycle, and the core stays free of Spring.
 */
class PackageStructureTests {

    private static final JavaClasses STARTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.github.apikey.spring");

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.github.apikey.core");

    @Test
    void featurePackagesDoNotDependOnTheAutoConfiguration() {
        noClasses().that().resideOutsideOfPackage("io.github.apikey.spring.autoconfigure..")
                .should().dependOnClassesThat().resideInAPackage("io.github.apikey.spring.autoconfigure..")
                .check(STARTER);
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("io.github.apikey.spring.(*)..").should().beFreeOfCycles().check(STARTER);
    }

    @Test
    void theCoreStaysFreeOfSpring() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..").check(CORE);
    }
}
