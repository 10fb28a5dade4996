package dev.rollout.starter.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/** The shared rules catch what they are written for. */
class ArchitectureRulesTest {

    @Test
    void anEndpointWithoutDeclaredRolesBreaksTheRule() {
        JavaClasses app = new ClassFileImporter().importPackages("dev.rollout.starter.testapp");
        EvaluationResult result = ArchitectureRules.endpointsDeclareRoles().evaluate(app);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails()).singleElement().asString().contains("undeclared");
    }

    @Test
    void endpointsThatDeclareRolesPass() {
        JavaClasses starter = new ClassFileImporter().importPackages("dev.rollout.starter.security");
        assertThat(ArchitectureRules.endpointsDeclareRoles().allowEmptyShould(true).evaluate(starter).hasViolation()).isFalse();
    }
}
