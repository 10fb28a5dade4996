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
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
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
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * One security configuration for every service: bearer tokens on every request except the public
 * paths, roles declared per endpoint, problem responses for 401 and 403.
 */
@AutoConfiguration(before = ServletWebSecurityAutoConfiguration.class, after = WebAutoConfiguration.class)
@EnableConfigurationProperties(RolloutSecurityProperties.class)
@EnableMethodSecurity
public class SecurityAutoConfiguration {

    @Bean
    SecurityFilterChain rolloutSecurityFilterChain(HttpSecurity http, RolloutSecurityProperties properties,
            ProblemWriter problems) throws Exception {
        ProblemSecurityHandlers handlers = new ProblemSecurityHandlers(problems);
        AuthenticationManager manager = authenticationManager(properties);
        AuthenticationManagerResolver<HttpServletRequest> resolver = request -> manager;
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .securityContext(context -> context.requireExplicitSave(true))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(properties.publicPaths().toArray(String[]::new)).permitAll()
                        // metrics name rollouts, components and error rates: a scraper's token, not everyone's
                        .requestMatchers("/actuator/prometheus").hasRole(Role.METRICS.name())
                        .anyRequest().authenticated())
                .oauth2ResourceServer(oauth -> oauth
                        .authenticationManagerResolver(resolver)
                        .authenticationEntryPoint(handlers)
                        .accessDeniedHandler(handlers))
                .exceptionHandling(ex -> ex.authenticationEntryPoint(handlers).accessDeniedHandler(handlers));
        return http.build();
    }

    /** A request the firewall refuses (a path with "//", an encoded slash...) is a 400 problem too. */
    @Bean
    org.springframework.security.web.firewall.RequestRejectedHandler requestRejectedHandler(ProblemWriter problems) {
        return (request, response, rejected) -> problems.write(request, response,
                org.springframework.http.HttpStatus.BAD_REQUEST, "The request was rejected: " + rejected.getMessage());
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
