package dev.rollout.pilotservice;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import dev.rollout.starter.test.ArchitectureRules;

/** The platform's package rules, applied to pilot-service. */
@AnalyzeClasses(packages = "dev.rollout.pilotservice", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchTests platformRules = ArchTests.in(ArchitectureRules.class);
}
