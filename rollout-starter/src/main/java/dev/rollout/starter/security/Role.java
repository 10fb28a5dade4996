package dev.rollout.starter.security;

/**
 * The platform's roles. A token carries one or more of them; every endpoint declares the ones it
 * accepts with {@code @PreAuthorize("hasAnyRole(...)")}, and an endpoint that declares none is refused.
 */
public enum Role {
    /** Creates, approves, pauses, resumes, promotes and aborts rollouts. */
    RELEASE_MANAGER,
    /** A CI job: creates rollouts for its builds and uploads their evidence. */
    CI_PIPELINE,
    /** Triggers and resumes rollbacks. */
    ON_CALL,
    /** A pilot of the 44; acts only as itself. */
    PILOT,
    /** Reads everything, changes nothing. */
    VIEWER,
    /** One agent on the agent API: it speaks for itself only (its token's subject is its agent id). */
    AGENT,
    /** An agent gateway or cluster controller: speaks for the agents of the clusters its token names. */
    AGENT_GATEWAY,
    /** Another service of the platform. */
    SERVICE,
    /** A metrics scraper (Prometheus): reads {@code /actuator/prometheus} and nothing else. */
    METRICS;

    public String authority() {
        return "ROLE_" + name();
    }
}
