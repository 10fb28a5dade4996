package dev.rollout.clusterbatcher.agentapi;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.rollout.starter.web.ProblemWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A limit on the agent API's calls ({@code /agent/v1/}): past it, 429 with {@code Retry-After} (the period, in whole
 * seconds) and a problem naming the limit; counted in {@code rollout.agent.limited} by the limit's name.
 */
abstract class AgentApiLimit extends OncePerRequestFilter {

    private final ProblemWriter problems;
    private final MeterRegistry meters;
    private final long retryAfterSeconds;

    AgentApiLimit(Duration period, ProblemWriter problems, MeterRegistry meters) {
        this.problems = problems;
        this.meters = meters;
        this.retryAfterSeconds = Math.max(1, (period.toMillis() + 999) / 1000);
    }

    @Override
    protected final boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/agent/v1/");
    }

    final Counter limited(String limit) {
        return meters.counter("rollout.agent.limited", "limit", limit);
    }

    final void refuse(HttpServletRequest request, HttpServletResponse response, Counter limit, String detail)
            throws IOException {
        limit.increment();
        response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
        problems.write(request, response, HttpStatus.TOO_MANY_REQUESTS, detail);
    }
}
