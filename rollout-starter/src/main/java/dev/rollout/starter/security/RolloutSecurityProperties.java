package dev.rollout.starter.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;

/**
 * How bearer tokens are checked.
 *
 * @param mode          {@code JWT} (production: signed tokens checked against {@code jwtPublicKey}) or
 *                      {@code DEV} (the documented development tokens of the standalone mode)
 * @param jwkSetUri     the identity provider's JSON Web Key Set (mode JWT): keys rotate without a restart
 * @param jwtPublicKey  or a PEM file of the one RSA public key that signs JWTs (mode JWT; no rotation)
 * @param jwtIssuer     the {@code iss} every token must carry (mode JWT, required)
 * @param jwtAudience   the {@code aud} every token must include (mode JWT, required)
 * @param rolesClaim    the JWT claim holding the caller's roles
 * @param serviceToken  the token this service sends when it calls another service
 * @param publicPaths   paths served without a token (probes and API documents; {@code /actuator/prometheus}
 *                      takes a METRICS token)
 */
@ConfigurationProperties("rollout.security")
public record RolloutSecurityProperties(Mode mode, String jwkSetUri, Resource jwtPublicKey, String jwtIssuer,
        String jwtAudience, String rolesClaim, String serviceToken,
        List<String> publicPaths) {

    public enum Mode { JWT, DEV }

    public RolloutSecurityProperties {
        mode = mode == null ? Mode.JWT : mode;
        jwkSetUri = jwkSetUri == null ? "" : jwkSetUri.trim();
        jwtIssuer = jwtIssuer == null ? "" : jwtIssuer.trim();
        jwtAudience = jwtAudience == null ? "" : jwtAudience.trim();
        rolesClaim = rolesClaim == null || rolesClaim.isBlank() ? "roles" : rolesClaim;
        serviceToken = serviceToken == null ? "" : serviceToken;
        publicPaths = publicPaths == null || publicPaths.isEmpty()
                ? List.of("/actuator/health/**", "/actuator/info", "/v3/api-docs/**",
                        "/error")
                : List.copyOf(publicPaths);
    }
}
