package dev.rollout.clusterbatcher.agentapi;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.rollout.starter.web.ProblemWriter;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What an instance takes of the agent API, decided before anything else is done for a call (before its token is
 * read), so that a flood is turned away at the least cost: at most {@code perInstance} calls a period (a
 * Resilience4j rate limiter) and at most {@code inFlight} calls being served at once (a Resilience4j bulkhead, no
 * waiting). Past either, 429 with {@code Retry-After}; nothing of the call was done. The bulkhead is what keeps the
 * control plane answering on a machine it shares with the agent API: agents get at most that many threads of it,
 * whatever the rate they send at. Each identity's own limit is checked after authentication
 * ({@link AgentRateLimits}).
 */
final class AgentAdmission extends AgentApiLimit {

    private final RateLimiter instance;
    private final Bulkhead inFlight;
    private final Counter limitedByRate;
    private final Counter limitedInFlight;

    AgentAdmission(int perInstance, Duration period, int inFlight, ProblemWriter problems, MeterRegistry meters) {
        super(period, problems, meters);
        this.instance = RateLimiter.of("agent-api", RateLimiterConfig.custom().limitForPeriod(perInstance)
                .limitRefreshPeriod(period).timeoutDuration(Duration.ZERO).build());
        this.inFlight = Bulkhead.of("agent-api", BulkheadConfig.custom().maxConcurrentCalls(inFlight)
                .maxWaitDuration(Duration.ZERO).build());
        this.limitedByRate = limited("instance");
        this.limitedInFlight = limited("in-flight");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!inFlight.tryAcquirePermission()) {
            refuse(request, response, limitedInFlight, "This instance of the agent API is serving its limit of "
                    + inFlight.getBulkheadConfig().getMaxConcurrentCalls() + " calls at once; retry after the delay,"
                    + " with jitter");
            return;
        }
        try {
            if (!instance.acquirePermission()) {
                refuse(request, response, limitedByRate, "This instance of the agent API is at its limit of "
                        + instance.getRateLimiterConfig().getLimitForPeriod() + " calls in "
                        + instance.getRateLimiterConfig().getLimitRefreshPeriod().toMillis() + " ms; retry after the"
                        + " delay, with jitter");
                return;
            }
            chain.doFilter(request, response);
        }
        finally {
            inFlight.onComplete();
        }
    }
}
