package dev.rollout.clusterbatcher.agentapi;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.rollout.starter.security.AgentCaller;
import dev.rollout.starter.web.ProblemWriter;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Back-pressure on the agent API per identity, after authentication: each identity (an agent, a gateway) may make
 * {@code perIdentity} calls a period (a Resilience4j rate limiter each, no waiting). Past it, the answer is 429 with
 * {@code Retry-After}: nothing of the call was done, so an agent retries it as it is, after the delay with jitter
 * (docs/agents.md). The platform's own services are held only by the instance's limits ({@link AgentAdmission}).
 */
final class AgentRateLimits extends AgentApiLimit {

    /**
     * Identities past which the limiters are swept: a limiter with all its permits is the same as a new one and is
     * dropped, so that an identity keeps its limiter exactly while it has used permits within the period.
     */
    static final int IDENTITIES = 100_000;

    private final RateLimiterConfig perIdentity;
    private final Counter limitedByIdentity;
    private final Map<String, RateLimiter> identities = new ConcurrentHashMap<>(1024);
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final int sweepAbove;
    private volatile long nextSweep = System.nanoTime();

    AgentRateLimits(int perIdentity, Duration period, ProblemWriter problems, MeterRegistry meters) {
        this(perIdentity, period, IDENTITIES, problems, meters);
    }

    AgentRateLimits(int perIdentity, Duration period, int sweepAbove, ProblemWriter problems,
            MeterRegistry meters) {
        super(period, problems, meters);
        this.sweepAbove = sweepAbove;
        this.perIdentity = config(perIdentity, period);
        this.limitedByIdentity = limited("identity");
    }

    private static RateLimiterConfig config(int limit, Duration period) {
        return RateLimiterConfig.custom().limitForPeriod(limit).limitRefreshPeriod(period).timeoutDuration(Duration.ZERO)
                .build();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (caller == null || !caller.isAuthenticated()) {
            chain.doFilter(request, response); // refused further on
            return;
        }
        AgentCaller who = AgentCaller.of(caller);
        if (who.kind() != AgentCaller.Kind.SERVICE && !acquire(caller.getName())) {
            refuse(request, response, limitedByIdentity, "This caller (" + caller.getName() + ") made more than "
                    + perIdentity.getLimitForPeriod() + " calls in " + perIdentity.getLimitRefreshPeriod().toMillis()
                    + " ms; retry after the delay, with jitter");
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * A permit of this identity's limiter. Past {@code sweepAbove} identities held, the limiters with all their
     * permits are dropped (lossless: such a limiter is the same as a new one), by one thread at a time and at most
     * once a period (more identities than that active within a period are all kept); a caller
     * racing with a sweep may get one call more in that period, never fewer.
     */
    boolean acquire(String identity) {
        RateLimiter limiter = identities.get(identity);
        if (limiter == null) {
            limiter = identities.computeIfAbsent(identity, name -> RateLimiter.of(name, perIdentity));
        }
        boolean permitted = limiter.acquirePermission();
        if (identities.size() > sweepAbove && System.nanoTime() - nextSweep >= 0 && sweeping.compareAndSet(false, true)) {
            try {
                int full = perIdentity.getLimitForPeriod();
                identities.values().removeIf(l -> l.getMetrics().getAvailablePermissions() >= full);
                nextSweep = System.nanoTime() + perIdentity.getLimitRefreshPeriod().toNanos();
            }
            finally {
                sweeping.set(false);
            }
        }
        return permitted;
    }

    /** Identities holding a limiter now (for tests). */
    int identitiesHeld() {
        return identities.size();
    }
}
