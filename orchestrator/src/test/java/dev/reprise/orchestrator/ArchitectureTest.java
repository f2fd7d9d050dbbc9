package dev.reprise.orchestrator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The import rules of the orchestrator's packages (docs/architecture.md, docs/adr/0006): the domain imports nothing
 * but the JDK and itself, no layer imports a layer above it, and neither the top-level packages nor the domain's own
 * packages import each other in a circle. Reads the compiled main classes, so it needs no running service.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.reprise.orchestrator";
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    /**
     * No framework at all (no JAX-RS, CDI, Quarkus, Hibernate, Fabric8, Kafka, MinIO, Vert.x, SmallRye) and no Jackson
     * either: the domain works on plain Java values, and JSON is an adapter's business.
     */
    @Test
    void domainImportsOnlyTheJdkAndItself() {
        classes().that().resideInAPackage(ROOT + ".domain..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(ROOT + ".domain..", "java..")
                .because("the domain decides and adapters translate; it must stay testable without any framework")
                .check(classes);
    }

    @Test
    void noLayerImportsALayerAboveIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Api").definedBy(ROOT + ".api..")
                .layer("Application").definedBy(ROOT + ".application..")
                .layer("Messaging").definedBy(ROOT + ".messaging..")
                .layer("Scheduling").definedBy(ROOT + ".scheduling..")
                .layer("Execution").definedBy(ROOT + ".execution..")
                .layer("Storage").definedBy(ROOT + ".storage..")
                .layer("Security").definedBy(ROOT + ".security..")
                .layer("Metrics").definedBy(ROOT + ".metrics..")
                .layer("Persistence").definedBy(ROOT + ".persistence..")
                .layer("Domain").definedBy(ROOT + ".domain..")
                .whereLayer("Api").mayNotBeAccessedByAnyLayer()
                .whereLayer("Application").mayOnlyBeAccessedByLayers("Api")
                .whereLayer("Messaging").mayOnlyBeAccessedByLayers("Api")
                .whereLayer("Scheduling").mayOnlyBeAccessedByLayers("Api", "Application", "Messaging")
                .whereLayer("Execution").mayOnlyBeAccessedByLayers("Api", "Application", "Messaging", "Scheduling")
                .whereLayer("Storage").mayOnlyBeAccessedByLayers("Api", "Application", "Messaging", "Scheduling")
                .whereLayer("Security").mayOnlyBeAccessedByLayers("Api", "Application", "Messaging", "Scheduling")
                .whereLayer("Metrics").mayOnlyBeAccessedByLayers("Api", "Application", "Messaging")
                .whereLayer("Persistence").mayOnlyBeAccessedByLayers("Api", "Application", "Messaging", "Scheduling",
                        "Execution", "Storage", "Security", "Metrics")
                .check(classes);
    }

    @Test
    void topLevelPackagesFormNoCycle() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void domainPackagesFormNoCycle() {
        slices().matching(ROOT + ".domain.(*)..").should().beFreeOfCycles().check(classes);
    }
}
