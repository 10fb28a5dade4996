package dev.rollout.starter.security;

import java.io.IOException;
import java.io.InputStream;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;

import dev.rollout.starter.web.ProblemWriter;
import dev.rollout.starter.web.WebAutoConfiguration;
import org.springframework.aop.Advisor;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.converter.RsaKeyConverters;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * One security configuration for every service: bearer tokens on every request except the public
 * paths, roles declared per endpoint, problem responses for 401 and 403.
 */
@AutoConfiguration(before = ServletWebSecurityAutoConfiguration.class, after = WebAutoConfiguration.class)
@EnableConfigurationProperties(RolloutSecurityProperties.class)
@EnableMethodSecurity(prePostEnabled = false)
public class SecurityAutoConfiguration {

    /**
     * How bearer tokens are checked (development tokens or signed JWTs): one for both chains, and for the edge's console,
     * whose sign-in takes a token.
     */
    public record BearerTokens(AuthenticationManager manager) {
        AuthenticationManagerResolver<HttpServletRequest> resolver() {
            return request -> manager;
        }
    }

    @Bean
    BearerTokens rolloutBearerTokens(RolloutSecurityProperties properties) {
        return new BearerTokens(authenticationManager(properties));
    }

    /** The agent API's paths, served by their own, shorter chain. */
    public static final String AGENT_PATHS = "/agent/v1/**";

    /**
     * The agent API: every call carries an agent's, a gateway's or a service's token, so the chain holds only what
     * such a call needs (no anonymous caller, no logout, no session, no request cache); the roles of each endpoint
     * are checked as everywhere else, by what the endpoint declares.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain rolloutAgentSecurityFilterChain(HttpSecurity http, BearerTokens tokens, ProblemWriter problems) throws Exception {
        statelessBearer(http.securityMatcher(AGENT_PATHS), tokens, problems)
                .anonymous(anonymous -> anonymous.disable())
                .authorizeHttpRequests(auth -> auth.anyRequest().authenticated());
        return http.build();
    }

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    SecurityFilterChain rolloutSecurityFilterChain(HttpSecurity http, RolloutSecurityProperties properties,
            BearerTokens tokens, ProblemWriter problems) throws Exception {
        statelessBearer(http, tokens, problems)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(properties.publicPaths().toArray(String[]::new)).permitAll()
                        // metrics name rollouts, components and error rates: a scraper's token, not everyone's
                        .requestMatchers("/actuator/prometheus").hasRole(Role.METRICS.name())
                        .anyRequest().authenticated());
        return http.build();
    }

    /**
     * What both chains share: a bearer token on every call, checked by the one authentication manager; no session,
     * CSRF token, logout or request cache; refusals as problems.
     */
    private static HttpSecurity statelessBearer(HttpSecurity http, BearerTokens tokens, ProblemWriter problems)
            throws Exception {
        ProblemSecurityHandlers handlers = new ProblemSecurityHandlers(problems);
        AuthenticationManagerResolver<HttpServletRequest> resolver = tokens.resolver();
        return http.csrf(csrf -> csrf.disable())
                .logout(logout -> logout.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .securityContext(context -> context.requireExplicitSave(true))
                .oauth2ResourceServer(oauth -> oauth
                        .authenticationManagerResolver(resolver)
                        .authenticationEntryPoint(handlers)
                        .accessDeniedHandler(handlers))
                .exceptionHandling(ex -> ex.authenticationEntryPoint(handlers).accessDeniedHandler(handlers));
    }

    /**
     * No observation per security filter, authentication and authorisation: the request's own observation
     * (http.server.requests) times and traces it. Without this, every filter of the chain is wrapped (measured:
     * the wrapping alone was a tenth of an agent poll, even with those observations switched off by property).
     */
    @Bean
    SecurityObservationSettings rolloutSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /** {@code @PreAuthorize}, plain role rules decided from the caller's roles, any other expression evaluated. */
    @Bean
    @org.springframework.context.annotation.Role(BeanDefinition.ROLE_INFRASTRUCTURE) // beside this package's Role
    static Advisor preAuthorizeRoleRules() {
        return new RoleRuleAdvisor();
    }

    /** A request the firewall refuses (a path with "//", an encoded slash...) is a 400 problem too. */
    @Bean
    RequestRejectedHandler requestRejectedHandler(ProblemWriter problems) {
        return (request, response, rejected) -> problems.write(request, response,
                HttpStatus.BAD_REQUEST, "The request was rejected: " + rejected.getMessage());
    }

    @Bean
    WebMvcConfigurer declaredRolesInterceptor(ProblemWriter problems) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                // first of all interceptors: nothing reads a body (idempotency keys included) before the role check
                registry.addInterceptor(new DeclaredRolesInterceptor(problems)).order(Ordered.HIGHEST_PRECEDENCE);
            }
        };
    }

    private static AuthenticationManager authenticationManager(RolloutSecurityProperties properties) {
        if (properties.mode() == RolloutSecurityProperties.Mode.DEV) {
            return new ProviderManager(new DevelopmentTokens());
        }
        JwtAuthenticationProvider provider = new JwtAuthenticationProvider(jwtDecoder(properties));
        JwtGrantedAuthoritiesConverter authorities = new JwtGrantedAuthoritiesConverter();
        authorities.setAuthoritiesClaimName(properties.rolesClaim());
        authorities.setAuthorityPrefix("ROLE_");
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(authorities);
        provider.setJwtAuthenticationConverter(converter);
        return new ProviderManager(provider);
    }

    /**
     * Signed by a key of the identity provider's key set (fetched from {@code jwk-set-uri} and fetched again
     * when a token names a key it does not hold, so keys rotate without a restart) or by one static key; issued
     * by the configured issuer, for this platform's audience, with an expiry, and not expired.
     */
    static NimbusJwtDecoder jwtDecoder(RolloutSecurityProperties properties) {
        List<String> missing = new ArrayList<>();
        if (properties.jwtIssuer().isBlank()) {
            missing.add("rollout.security.jwt-issuer (the iss every token must carry)");
        }
        if (properties.jwtAudience().isBlank()) {
            missing.add("rollout.security.jwt-audience (the aud every token must carry)");
        }
        if (properties.jwkSetUri().isBlank() && properties.jwtPublicKey() == null) {
            missing.add("rollout.security.jwk-set-uri (the identity provider's key set) or rollout.security.jwt-public-key"
                    + " (a PEM file with one RSA public key)");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("rollout.security.mode=JWT needs " + String.join(", ", missing)
                    + "; for local development set rollout.security.mode=DEV");
        }
        NimbusJwtDecoder decoder;
        if (!properties.jwkSetUri().isBlank()) {
            decoder = NimbusJwtDecoder.withJwkSetUri(properties.jwkSetUri()).build();
        }
        else {
            if (!properties.jwtPublicKey().exists()) {
                throw new IllegalStateException("rollout.security.jwt-public-key " + properties.jwtPublicKey()
                        + " does not exist");
            }
            try (InputStream in = properties.jwtPublicKey().getInputStream()) {
                RSAPublicKey key = RsaKeyConverters.x509().convert(in);
                decoder = NimbusJwtDecoder.withPublicKey(key).build();
            }
            catch (IOException e) {
                throw new IllegalStateException("Cannot read " + properties.jwtPublicKey(), e);
            }
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(properties.jwtIssuer()),
                new JwtAudienceValidator(properties.jwtAudience()),
                new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull)));
        return decoder;
    }
}
