package dev.rollout.starter.observability;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.context.annotation.Bean;

/** Every meter of every service carries the {@code application} tag, so one dashboard serves all six. */
@AutoConfiguration
public class ObservabilityAutoConfiguration {

    @Bean
    MeterRegistryCustomizer<MeterRegistry> applicationTag(@Value("${spring.application.name:rollout}") String name) {
        return registry -> registry.config().commonTags("application", name);
    }
}
