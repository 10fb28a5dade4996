package dev.rollout.starter.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.context.SecurityContextHolder;

/** Method security decides plain role rules from the roles and evaluates every other expression, as before. */
class RoleRuleAdvisorTest {

    static class Endpoints {
        @PreAuthorize("hasAnyRole('AGENT','AGENT_GATEWAY', 'SERVICE')")
        String desired() {
            return "desired";
        }

        @PreAuthorize("hasRole('RELEASE_MANAGER')")
        String approve() {
            return "approved";
        }

        @PreAuthorize("hasRole('VIEWER') or (hasRole('PILOT') and #id == authentication.name)")
        String pilot(String id) {
            return "pilot " + id;
        }
    }

    Endpoints endpoints = proxy();

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void aPlainRuleAllowsItsRolesAndRefusesTheOthers() {
        as("agent-1", "ROLE_AGENT");
        assertThat(endpoints.desired()).isEqualTo("desired");
        assertThatThrownBy(endpoints::approve).isInstanceOf(AuthorizationDeniedException.class);
        as("rm", "ROLE_RELEASE_MANAGER");
        assertThat(endpoints.approve()).isEqualTo("approved");
        assertThatThrownBy(endpoints::desired).isInstanceOf(AuthorizationDeniedException.class);
        as("nobody");
        assertThatThrownBy(endpoints::desired).isInstanceOf(AuthorizationDeniedException.class);
    }

    @Test
    void anExpressionOnArgumentsIsStillEvaluated() {
        as("p-7", "ROLE_PILOT");
        assertThat(endpoints.pilot("p-7")).isEqualTo("pilot p-7");
        assertThatThrownBy(() -> endpoints.pilot("p-8")).isInstanceOf(AuthorizationDeniedException.class);
        as("v", "ROLE_VIEWER");
        assertThat(endpoints.pilot("p-8")).isEqualTo("pilot p-8");
    }

    @Test
    void onlyThePlainFormsAreReadAsRoleSets() {
        assertThat(RoleRule.of("hasAnyRole('AGENT','AGENT_GATEWAY', 'SERVICE')")).hasValueSatisfying(rule ->
                assertThat(rule.authorities()).containsExactlyInAnyOrder("ROLE_AGENT", "ROLE_AGENT_GATEWAY", "ROLE_SERVICE"));
        assertThat(RoleRule.of(" hasRole('VIEWER') ")).hasValueSatisfying(rule ->
                assertThat(rule.authorities()).containsExactly("ROLE_VIEWER"));
        for (String other : List.of("hasRole('A','B')", "hasRole('A') or hasRole('B')", "hasAnyRole('A') and true",
                "permitAll()", "hasAnyRole(#role)", "hasAuthority('ROLE_A')", "hasRole('A') or #id == 'x'")) {
            assertThat(RoleRule.of(other)).as(other).isEmpty();
        }
    }

    private static void as(String name, String... roles) {
        TestingAuthenticationToken caller = new TestingAuthenticationToken(name, "n/a", roles);
        caller.setAuthenticated(true);
        SecurityContextHolder.getContext().setAuthentication(caller);
    }

    private static Endpoints proxy() {
        ProxyFactory factory = new ProxyFactory(new Endpoints());
        factory.setProxyTargetClass(true);
        factory.addAdvisor(new RoleRuleAdvisor());
        return (Endpoints) factory.getProxy();
    }
}
