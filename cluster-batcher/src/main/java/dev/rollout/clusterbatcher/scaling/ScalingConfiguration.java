package dev.rollout.clusterbatcher.scaling;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Deployment scaling where {@code rollout.batcher.scaling.deployment} is set; otherwise none. */
@Configuration(proxyBeanMethods = false)
class ScalingConfiguration {

    @Bean
    ScalingHook scalingHook(ScalingProperties properties) {
        if (properties.enabled()) {
            return new DeploymentScaling(properties);
        }
        return (rolloutId, activeAgentsAfter) -> null;
    }
}
