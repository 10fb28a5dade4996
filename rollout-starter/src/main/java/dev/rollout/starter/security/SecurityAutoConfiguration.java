package dev.rollout.starter.security;

import java.io.IOException;
import java.io.InputStream;
import java.security.interfaces.RSAPublicKey;

import jakarta.servlet.http.HttpServletRequest;

import dev.rollout.starter.web.ProblemWriter;
import dev.rollout.starter.web.WebAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.converter.RsaKeyConverters;
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
                registry.addInterceptor(new DeclaredRolesInterceptor(problems));
            }
        };
    }

    private static AuthenticationManager authenticationManager(RolloutSecurityProperties properties) {
        if (properties.mode() == RolloutSecurityProperties.Mode.DEV) {
            return new ProviderManager(new DevelopmentTokens());
        }
        if (properties.jwtPublicKey() == null || !properties.jwtPublicKey().exists()) {
            throw new IllegalStateException("rollout.security.mode=JWT needs rollout.security.jwt-public-key "
                    + "(a PEM file with the RSA public key that signs the tokens); for local development set "
                    + "rollout.security.mode=DEV");
        }
        RSAPublicKey key;
        try (InputStream in = properties.jwtPublicKey().getInputStream()) {
            key = RsaKeyConverters.x509().convert(in);
        }
        catch (IOException e) {
            throw new IllegalStateException("Cannot read " + properties.jwtPublicKey(), e);
        }
        JwtGrantedAuthoritiesConverter authorities = new JwtGrantedAuthoritiesConverter();
        authorities.setAuthoritiesClaimName(properties.rolesClaim());
        authorities.setAuthorityPrefix("ROLE_");
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(authorities);
        JwtAuthenticationProvider provider = new JwtAuthenticationProvider(NimbusJwtDecoder.withPublicKey(key).build());
        provider.setJwtAuthenticationConverter(converter);
        return new ProviderManager(provider);
    }
}
