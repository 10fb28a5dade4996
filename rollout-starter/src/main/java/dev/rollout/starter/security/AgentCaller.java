package dev.rollout.starter.security;

import java.util.List;
import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Whom a caller of the agent API speaks for: an AGENT token for the one agent it names (its subject), an
 * AGENT_GATEWAY token for the agents of the clusters it names (claim {@code clusters}), a SERVICE token for
 * any agent. Nothing an agent sends can be sent in another agent's name.
 */
public record AgentCaller(Kind kind, String name, Set<String> clusters) {

    public enum Kind { AGENT, GATEWAY, SERVICE, NONE }

    /** The JWT claim that lists a gateway's clusters. */
    public static final String CLUSTERS_CLAIM = "clusters";

    public static AgentCaller of(Authentication authentication) {
        if (authentication == null) {
            return new AgentCaller(Kind.NONE, null, Set.of());
        }
        boolean agent = false;
        boolean gateway = false;
        for (var authority : authentication.getAuthorities()) { // on every agent call: no collection built
            String role = authority.getAuthority();
            if (Role.SERVICE.authority().equals(role)) {
                return new AgentCaller(Kind.SERVICE, authentication.getName(), Set.of());
            }
            gateway |= Role.AGENT_GATEWAY.authority().equals(role);
            agent |= Role.AGENT.authority().equals(role);
        }
        if (gateway) {
            return new AgentCaller(Kind.GATEWAY, authentication.getName(), clusters(authentication));
        }
        return new AgentCaller(agent ? Kind.AGENT : Kind.NONE, authentication.getName(), Set.of());
    }

    private static Set<String> clusters(Authentication authentication) {
        if (authentication instanceof DevelopmentTokens.CallerAuthentication dev) {
            return dev.clusters();
        }
        if (authentication instanceof JwtAuthenticationToken jwt) {
            List<String> clusters = jwt.getToken().getClaimAsStringList(CLUSTERS_CLAIM);
            return clusters == null ? Set.of() : Set.copyOf(clusters);
        }
        return Set.of();
    }

    /** Whether the caller may be answered for, or act for, this agent without knowing its cluster. */
    public boolean mayAskFor(String agentId) {
        return switch (kind) {
            case SERVICE, GATEWAY -> true; // a gateway is checked on the agent's cluster, once it is known
            case AGENT -> agentId.equals(name);
            case NONE -> false;
        };
    }

    /** Null when the caller speaks for this agent of this cluster; otherwise why not. */
    public String refusal(String agentId, String clusterId) {
        return switch (kind) {
            case SERVICE -> null;
            case AGENT -> agentId.equals(name) ? null
                    : "an agent token speaks for its own agent only (this one is " + name + ")";
            case GATEWAY -> clusters.contains(clusterId) ? null
                    : "the agent is not in a cluster of this gateway (" + String.join(", ", clusters) + ")";
            case NONE -> "the caller does not speak for agents";
        };
    }
}
