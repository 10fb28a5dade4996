package dev.rollout.starter.security;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * The documented tokens of the standalone mode. Never active unless {@code rollout.security.mode=DEV}.
 *
 * <pre>
 * dev-release-manager  RELEASE_MANAGER     dev-viewer   VIEWER
 * dev-ci               CI_PIPELINE         dev-service  SERVICE (service to service)
 * dev-on-call          ON_CALL             dev-metrics  METRICS (scrapes /actuator/prometheus)
 * dev-pilot-&lt;pilotId&gt;      PILOT, acting as that pilot
 * dev-agent-&lt;agentId&gt;      AGENT, speaking for that agent only
 * dev-gateway-&lt;clusterId&gt;  AGENT_GATEWAY, speaking for the agents of that cluster (several: c1+c2)
 * </pre>
 */
public final class DevelopmentTokens implements AuthenticationProvider {

    public static final String SERVICE_TOKEN = "dev-service";

    private static final Map<String, Caller> FIXED = Map.of(
            "dev-release-manager", new Caller("release-manager", Role.RELEASE_MANAGER),
            "dev-ci", new Caller("ci", Role.CI_PIPELINE),
            "dev-on-call", new Caller("on-call", Role.ON_CALL),
            "dev-viewer", new Caller("viewer", Role.VIEWER),
            SERVICE_TOKEN, new Caller("service", Role.SERVICE),
            "dev-metrics", new Caller("metrics", Role.METRICS));

    private static final String PILOT_PREFIX = "dev-pilot-";
    private static final Pattern PILOT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String AGENT_PREFIX = "dev-agent-";
    private static final String GATEWAY_PREFIX = "dev-gateway-";
    private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    record Caller(String name, Role role, Set<String> clusters) {
        Caller(String name, Role role) {
            this(name, role, Set.of());
        }
    }

    static Optional<Caller> resolve(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Caller fixed = FIXED.get(token);
        if (fixed != null) {
            return Optional.of(fixed);
        }
        if (token.startsWith(PILOT_PREFIX)) {
            String pilotId = token.substring(PILOT_PREFIX.length());
            if (PILOT_ID.matcher(pilotId).matches()) {
                return Optional.of(new Caller(pilotId, Role.PILOT));
            }
        }
        if (token.startsWith(AGENT_PREFIX)) {
            String agentId = token.substring(AGENT_PREFIX.length());
            if (AGENT_ID.matcher(agentId).matches()) {
                return Optional.of(new Caller(agentId, Role.AGENT));
            }
        }
        if (token.startsWith(GATEWAY_PREFIX)) {
            String named = token.substring(GATEWAY_PREFIX.length());
            Set<String> clusters = Set.of(named.split("\\+"));
            if (clusters.stream().allMatch(c -> AGENT_ID.matcher(c).matches())) {
                return Optional.of(new Caller("gateway-" + named, Role.AGENT_GATEWAY, clusters));
            }
        }
        return Optional.empty();
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String token = ((BearerTokenAuthenticationToken) authentication).getToken();
        Caller caller = resolve(token).orElseThrow(() -> new BadCredentialsException("Unknown development token"));
        return new CallerAuthentication(caller.name(), token, caller.role(), caller.clusters());
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
    }

    /** An authenticated caller of the standalone mode. */
    static final class CallerAuthentication extends AbstractAuthenticationToken {

        private final String name;
        private final String token;
        private final Set<String> clusters;

        CallerAuthentication(String name, String token, Role role, Set<String> clusters) {
            super(List.of(new SimpleGrantedAuthority(role.authority())));
            this.name = name;
            this.token = token;
            this.clusters = clusters;
            setAuthenticated(true);
        }

        /** The clusters a gateway speaks for. */
        Set<String> clusters() {
            return clusters;
        }

        @Override
        public Object getCredentials() {
            return token;
        }

        @Override
        public Object getPrincipal() {
            return name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String toString() {
            return "CallerAuthentication[" + name + ", " + getAuthorities() + "]";
        }
    }
}
