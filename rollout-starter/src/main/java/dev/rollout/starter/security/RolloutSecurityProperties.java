package dev.rollout.starter.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;

/**
 * How bearer tokens are checked.
 *
 * @param mode          {@code JWT} (production: signed tokens checked against {@code jwtPublicKey}) or
 *                      {@code DEV} (the documented development tokens of the standalone mode)
 * @param jwtPublicKey  PEM file of the RSA public key that signs JWTs (mode JWT)
 * @param rolesClaim    the JWT claim holding the caller's roles
 * @param serviceToken  the token this service sends when it calls another service
 * @param publicPaths   paths served without a token (probes, metrics scraping, API documents)
 */
@ConfigurationProperties("rollout.security")
public record RolloutSecurityProperties(Mode mode, Resource jwtPublicKey, String rolesClaim, String serviceToken,
        List<String> publicPaths) {

    public enum Mode { JWT, DEV }

    public RolloutSecurityProperties {
        mode = mode == null ? Mode.JWT : mode;
        rolesClaim = rolesClaim == null || rolesClaim.isBlank() ? "roles" : rolesClaim;
        serviceToken = serviceToken == null ? "" : serviceToken;
        publicPaths = publicPaths == null || publicPaths.isEmpty()
                ? List.of("/actuator/health/**", "/actuator/info", "/actuator/prometheus", "/v3/api-docs/**",
                        "/error")
                : List.copyOf(publicPaths);
    }
}
