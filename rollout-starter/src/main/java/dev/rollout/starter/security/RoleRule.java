package dev.rollout.starter.security;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * A role rule in its plain forms, {@code hasRole('A')} and {@code hasAnyRole('A','B',...)}, checked against the
 * caller's authorities without evaluating an expression: every endpoint of the platform but one declares its roles
 * this way, and on the agent path an expression's evaluation (twice a request: the early check and method
 * security) cost more than the rest of the authorisation. Any other expression is left to Spring Security's
 * evaluation, unchanged.
 */
record RoleRule(Set<String> authorities) {

    private static final Pattern PLAIN = Pattern.compile(
            "\\s*has(?:Any)?Role\\(\\s*('[A-Z][A-Z0-9_]*'(?:\\s*,\\s*'[A-Z][A-Z0-9_]*')*)\\s*\\)\\s*");
    private static final Pattern ROLE = Pattern.compile("'([A-Z][A-Z0-9_]*)'");

    /** The rule of a plain expression; empty for any other (including {@code hasRole} with several roles). */
    static Optional<RoleRule> of(String expression) {
        Matcher plain = PLAIN.matcher(expression);
        if (!plain.matches()) {
            return Optional.empty();
        }
        if (!expression.strip().startsWith("hasAnyRole") && plain.group(1).contains(",")) {
            return Optional.empty();
        }
        Matcher role = ROLE.matcher(plain.group(1));
        Set<String> authorities = new HashSet<>();
        while (role.find()) {
            authorities.add("ROLE_" + role.group(1));
        }
        return Optional.of(new RoleRule(Set.copyOf(authorities)));
    }

    /** Whether the caller holds one of the roles (as {@code hasAnyRole} decides it, without a role hierarchy). */
    boolean allows(Authentication caller) {
        if (caller == null) {
            return false;
        }
        for (GrantedAuthority authority : caller.getAuthorities()) {
            if (authorities.contains(authority.getAuthority())) {
                return true;
            }
        }
        return false;
    }
}
