package dev.rollout.starter.test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * The package rules every service keeps. A service's architecture test includes them all:
 * {@code @ArchTest static final ArchTests platformRules = ArchTests.in(ArchitectureRules.class);}
 */
public final class ArchitectureRules {

    private ArchitectureRules() {
    }

    @ArchTest
    static final ArchRule packageByFeature = noCatchAllPackages();

    @ArchTest
    static final ArchRule noCyclesBetweenFeatures = featuresFreeOfCycles();

    @ArchTest
    static final ArchRule rolesDeclared = endpointsDeclareRoles();

    @ArchTest
    static final ArchRule noEntitiesOnTheWire = endpointsNeverReturnEntities();

    @ArchTest
    static final ArchRule constructorInjection = noFieldInjection();

    /** Package by feature: no dumping grounds. */
    public static ArchRule noCatchAllPackages() {
        return noClasses().should().resideInAnyPackage("..util..", "..utils..", "..helper..", "..helpers..",
                "..common..", "..misc..")
                .because("code lives with the feature it serves (package by feature)");
    }

    /** The features of a service ({@code dev.rollout.<service>.<feature>}) do not depend on each other in a cycle. */
    public static ArchRule featuresFreeOfCycles() {
        return slices().matching("dev.rollout.*.(*)..").should().beFreeOfCycles();
    }

    /** Every endpoint states its roles (the runtime refuses one that does not). */
    public static ArchRule endpointsDeclareRoles() {
        return methods().that(areRequestHandlers())
                .should(declareRoles())
                .because("every endpoint states its roles; an endpoint without them is closed to everyone");
    }

    /** Controllers answer with records, never with JPA entities. */
    public static ArchRule endpointsNeverReturnEntities() {
        return methods().that(areRequestHandlers())
                .should(new ArchCondition<>("not return a JPA entity") {
                    @Override
                    public void check(JavaMethod method, ConditionEvents events) {
                        boolean entity = method.getReturnType().getAllInvolvedRawTypes().stream()
                                .anyMatch(t -> t.isAnnotatedWith("jakarta.persistence.Entity"));
                        if (entity) {
                            events.add(SimpleConditionEvent.violated(method, method.getFullName() + " returns an entity"));
                        }
                    }
                });
    }

    /** Constructor injection only. */
    public static ArchRule noFieldInjection() {
        return fields().should().notBeAnnotatedWith("org.springframework.beans.factory.annotation.Autowired")
                .because("dependencies are constructor arguments");
    }

    private static DescribedPredicate<JavaMethod> areRequestHandlers() {
        return new DescribedPredicate<>("are request handlers") {
            @Override
            public boolean test(JavaMethod method) {
                return method.getOwner().isAnnotatedWith("org.springframework.web.bind.annotation.RestController")
                        && method.isMetaAnnotatedWith("org.springframework.web.bind.annotation.RequestMapping");
            }
        };
    }

    private static ArchCondition<JavaMethod> declareRoles() {
        return new ArchCondition<>("declare their roles with @PreAuthorize") {
            @Override
            public void check(JavaMethod method, ConditionEvents events) {
                JavaClass owner = method.getOwner();
                boolean declared = method.isAnnotatedWith("org.springframework.security.access.prepost.PreAuthorize")
                        || owner.isAnnotatedWith("org.springframework.security.access.prepost.PreAuthorize");
                if (!declared) {
                    events.add(SimpleConditionEvent.violated(method, method.getFullName() + " declares no roles"));
                }
            }
        };
    }
}
