package dev.rollout.api.console;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * The console's own chain: a session cookie after signing in with a token (the API keeps its bearer tokens and no
 * session), CSRF tokens on every form, a strict content security policy (scripts and styles from this origin only),
 * and the sign-in page for anyone not signed in.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurity {

    static final String SIGN_IN = "/console/login";

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 1) // after the agent API's chain, before the API's catch-all
    SecurityFilterChain rolloutConsoleSecurityFilterChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/console", "/console/**", "/webjars/**")
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(SIGN_IN, "/console/assets/**", "/webjars/**").permitAll()
                        .anyRequest().authenticated())
                .exceptionHandling(ex -> ex.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint(SIGN_IN)))
                .requestCache(cache -> cache.disable())
                .logout(logout -> logout.logoutUrl("/console/logout").logoutSuccessUrl(SIGN_IN + "?signedOut"))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'self'; script-src 'self';"
                                + " style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self';"
                                + " base-uri 'none'"))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)));
        return http.build();
    }
}
