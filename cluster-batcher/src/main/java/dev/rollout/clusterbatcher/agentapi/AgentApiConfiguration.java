package dev.rollout.clusterbatcher.agentapi;

import java.time.Duration;

import dev.rollout.starter.web.ProblemWriter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent API's back-pressure just after authentication (Spring Security's chain is at order -100), then the
 * agents' polls (AgentPolls); where {@code rollout.agent-api.port} is set, the agent API's own port and threads
 * ({@link AgentConnector}).
 */
@Configuration(proxyBeanMethods = false)
class AgentApiConfiguration {

    @Bean
    FilterRegistrationBean<AgentRateLimits> agentRateLimits(
            @Value("${rollout.agent-api.rate-limit.per-identity:60}") int perIdentity,
            @Value("${rollout.agent-api.rate-limit.period:1s}") Duration period, ProblemWriter problems,
            MeterRegistry meters) {
        FilterRegistrationBean<AgentRateLimits> registration = new FilterRegistrationBean<>(
                new AgentRateLimits(perIdentity, period, problems, meters));
        registration.setOrder(-95);
        return registration;
    }

    /**
     * What the instance takes, before authentication (Spring Security's chain is at -100): calls a period and calls
     * at once. {@code in-flight} defaults, where the agent API has its own port, to half its threads: those do the
     * agents' work, the others turn the calls past them away at once with a 429 and {@code Retry-After} instead of
     * leaving them queued (docs/agents.md, docs/benchmarks.md). Without a port of its own, to the size of the
     * database pool: an agent call holds a connection for its database work, so more at once would only wait for one.
     */
    @Bean
    FilterRegistrationBean<AgentAdmission> agentAdmission(
            @Value("${rollout.agent-api.rate-limit.per-instance:5000}") int perInstance,
            @Value("${rollout.agent-api.rate-limit.period:1s}") Duration period,
            @Value("${rollout.agent-api.rate-limit.in-flight:0}") int inFlight,
            @Value("${spring.datasource.hikari.maximum-pool-size:10}") int databaseConnections, ProblemWriter problems,
            MeterRegistry meters, ObjectProvider<AgentConnector> ownPort) {
        AgentConnector connector = ownPort.getIfAvailable();
        int calls = inFlight > 0 ? inFlight
                : connector != null ? Math.max(1, connector.threads() / 2) : Math.max(1, databaseConnections);
        FilterRegistrationBean<AgentAdmission> registration = new FilterRegistrationBean<>(
                new AgentAdmission(perInstance, period, calls, problems, meters));
        registration.setOrder(-110);
        return registration;
    }

    /** Agents' polls answered after authentication and the rate limits, before Spring MVC (see {@link AgentPolls}). */
    @Bean
    @ConditionalOnBooleanProperty(name = "rollout.agent-api.early-polls", matchIfMissing = true)
    FilterRegistrationBean<AgentPolls> agentPolls(DesiredStates desired, JsonMapper json) {
        FilterRegistrationBean<AgentPolls> registration = new FilterRegistrationBean<>(new AgentPolls(desired, json));
        registration.addUrlPatterns("/agent/v1/agents/*");
        registration.setOrder(-94);
        return registration;
    }

    /**
     * The agent API on its own port and threads. {@code threads} defaults to two per core: a poll answered from memory
     * keeps a core busy, one that reads the database waits about as long as it computes.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "rollout.agent-api.port")
    static class OwnPort {

        @Bean
        AgentConnector agentConnector(@Value("${rollout.agent-api.port}") int port,
                @Value("${rollout.agent-api.threads:0}") int threads,
                @Value("${rollout.agent-api.accept-count:100}") int acceptCount) {
            return new AgentConnector(port, threads > 0 ? threads : 2 * Runtime.getRuntime().availableProcessors(),
                    acceptCount);
        }

        @Bean
        FilterRegistrationBean<AgentPort> agentPort(AgentConnector connector, ProblemWriter problems) {
            FilterRegistrationBean<AgentPort> registration = new FilterRegistrationBean<>(new AgentPort(connector,
                    problems));
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
            return registration;
        }
    }
}
