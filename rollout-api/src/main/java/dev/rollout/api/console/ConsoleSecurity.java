package dev.rollout.api.console;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * The console's own chain: a session cookie after signing in with a token (the API keeps its bearer tokens and no
 * session), CSRF tokens on every form, a strict content security policy (scripts and styles from this origin only),
 * and the sign-in page for anyone not signed in. Where an identity provider is registered
 * ({@code spring.security.oauth2.client.registration.*}), its authorization-code login signs a person in too: the
 * access token it issues is checked and used exactly as a pasted one.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurity {

    static final String SIGN_IN = "/console/login";
    /** Why the identity provider's sign-in did not let a person in, for the sign-in page to say. */
    static final String SIGN_IN_ERROR = ConsoleSecurity.class.getName() + ".error";

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 1) // after the agent API's chain, before the API's catch-all
    SecurityFilterChain rolloutConsoleSecurityFilterChain(HttpSecurity http,
            ObjectProvider<ClientRegistrationRepository> registrations, ConsoleSignIn signIn) throws Exception {
        http.securityMatcher("/console", "/console/**", "/webjars/**", "/oauth2/authorization/**", "/login/oauth2/**")
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
        if (registrations.getIfAvailable() != null) {
            OAuth2AuthorizedClientRepository clients = new HttpSessionOAuth2AuthorizedClientRepository();
            http.oauth2Login(login -> login.loginPage(SIGN_IN).authorizedClientRepository(clients)
                    .successHandler((request, response, authentication) -> signedIn(signIn, clients, request, response,
                            authentication))
                    .failureUrl(SIGN_IN + "?failed"));
        }
        return http.build();
    }

    /** The identity provider's access token signs the person in as a pasted token would. */
    private static void signedIn(ConsoleSignIn signIn, OAuth2AuthorizedClientRepository clients,
            HttpServletRequest request, HttpServletResponse response, Authentication authentication) throws IOException {
        OAuth2AuthenticationToken login = (OAuth2AuthenticationToken) authentication;
        OAuth2AuthorizedClient client = clients.loadAuthorizedClient(login.getAuthorizedClientRegistrationId(), login,
                request);
        try {
            signIn.signIn(client.getAccessToken().getTokenValue(), request, response);
            response.sendRedirect(request.getContextPath() + "/console/rollouts");
        }
        catch (ConsoleSignIn.Refused refused) {
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.invalidate();
            }
            request.getSession(true).setAttribute(SIGN_IN_ERROR, refused.getMessage());
            response.sendRedirect(request.getContextPath() + SIGN_IN + "?failed");
        }
    }
}
