package dev.rollout.api;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.rollout.starter.test.ArchitectureRules;

@AnalyzeClasses(packages = "dev.rollout.api", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule packageByFeature = ArchitectureRules.noCatchAllPackages();

    @ArchTest
    static final ArchRule noCycles = ArchitectureRules.featuresFreeOfCycles("dev.rollout.api");

    @ArchTest
    static final ArchRule rolesDeclared = ArchitectureRules.endpointsDeclareRoles();

    @ArchTest
    static final ArchRule noEntitiesOnTheWire = ArchitectureRules.endpointsNeverReturnEntities();

    @ArchTest
    static final ArchRule constructorInjection = ArchitectureRules.noFieldInjection();
}
