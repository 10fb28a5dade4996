package dev.rollout.api;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import dev.rollout.starter.test.ArchitectureRules;

/** The platform's package rules, applied to rollout-api. */
@AnalyzeClasses(packages = "dev.rollout.api", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchTests platformRules = ArchTests.in(ArchitectureRules.class);
}
