package dev.reprise.orchestrator;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.CanBeAnnotated.Predicates.annotatedWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The import rules of the orchestrator's packages (docs/architecture.md, docs/adr/0009): the domain imports nothing
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
     * either: the domain works on plain Java values, and JSON is an adapter's business. The one other thing it may use
     * is the api-spec contract ({@code dev.reprise.api}), itself plain Java shared with the agent.
     */
    @Test
    void domainImportsOnlyTheJdkAndItself() {
        classes().that().resideInAPackage(ROOT + ".domain..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(ROOT + ".domain..", "dev.reprise.api..", "java..")
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

    /**
     * REST resources and views reach the database only through {@code application}: they may use the rows a query
     * returns (entities, records such as {@code SweepTableQuery.Best}, {@code PagedResult}) but not the repositories
     * and queries themselves (persistence's CDI beans and Panache repositories).
     */
    @Test
    void resourcesReachTheDatabaseOnlyThroughTheApplication() {
        DescribedPredicate<JavaClass> dataAccess = resideInAPackage(ROOT + ".persistence..")
                .and(annotatedWith("jakarta.enterprise.context.ApplicationScoped")
                        .or(assignableTo("io.quarkus.hibernate.orm.panache.PanacheRepositoryBase")))
                .as("persistence's repositories and queries");
        noClasses().that().resideInAPackage(ROOT + ".api..")
                .should().dependOnClassesThat(dataAccess)
                .because("use cases and reads go through application services, which own the transactions")
                .check(classes);
    }
}
