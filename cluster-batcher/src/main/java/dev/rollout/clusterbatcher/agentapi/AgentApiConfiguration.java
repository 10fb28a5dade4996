package dev.rollout.clusterbatcher.agentapi;

import java.time.Duration;

import dev.rollout.starter.web.ProblemWriter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent API's back-pressure just after authentication (Spring Security's chain is at order -100), then the
 * agents' polls (AgentPolls).
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
     * at once. {@code in-flight} defaults to the size of the database pool: an agent call holds a connection for its
     * database work, so more at once would only wait for one, holding a thread and its memory meanwhile. Where the
     * agent API shares its cores with the control plane, set it lower (docs/agents.md, docs/benchmarks.md).
     */
    @Bean
    FilterRegistrationBean<AgentAdmission> agentAdmission(
            @Value("${rollout.agent-api.rate-limit.per-instance:5000}") int perInstance,
            @Value("${rollout.agent-api.rate-limit.period:1s}") Duration period,
            @Value("${rollout.agent-api.rate-limit.in-flight:0}") int inFlight,
            @Value("${spring.datasource.hikari.maximum-pool-size:10}") int databaseConnections, ProblemWriter problems,
            MeterRegistry meters) {
        int calls = inFlight > 0 ? inFlight : Math.max(1, databaseConnections);
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
}
