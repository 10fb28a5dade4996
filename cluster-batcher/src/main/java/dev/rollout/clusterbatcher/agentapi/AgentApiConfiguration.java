package dev.rollout.clusterbatcher.agentapi;

import java.time.Duration;

import dev.rollout.starter.web.ProblemWriter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The agent API's back-pressure, just after authentication (Spring Security's chain is at order -100). */
@Configuration(proxyBeanMethods = false)
class AgentApiConfiguration {

    @Bean
    FilterRegistrationBean<AgentRateLimits> agentRateLimits(
            @Value("${rollout.agent-api.rate-limit.per-identity:60}") int perIdentity,
            @Value("${rollout.agent-api.rate-limit.per-instance:5000}") int perInstance,
            @Value("${rollout.agent-api.rate-limit.period:1s}") Duration period, ProblemWriter problems,
            MeterRegistry meters) {
        FilterRegistrationBean<AgentRateLimits> registration = new FilterRegistrationBean<>(
                new AgentRateLimits(perIdentity, perInstance, period, problems, meters));
        registration.setOrder(-95);
        return registration;
    }
}
