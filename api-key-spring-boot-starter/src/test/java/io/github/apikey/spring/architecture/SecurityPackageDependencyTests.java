package io.github.apikey.spring.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The security package is a library of its own, like Spring Security's configurers: it takes plain values and
 * beans, and knows nothing of the starter's properties or auto-configuration.
 */
class SecurityPackageDependencyTests {

    private static final JavaClasses STARTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.github.apikey.spring");

    @Test
    void theSecurityPackageDoesNotDependOnTheAutoConfiguration() {
        noClasses().that().resideInAPackage("io.github.apikey.spring.security..")
                .should().dependOnClassesThat().resideInAPackage("io.github.apikey.spring.autoconfigure..")
                .check(STARTER);
    }
}
