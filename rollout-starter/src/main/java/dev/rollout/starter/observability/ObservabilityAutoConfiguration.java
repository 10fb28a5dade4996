package dev.rollout.starter.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Every meter of every service carries the {@code application} tag, so one dashboard serves all six; work that no
 * request carries runs in spans of the trace that asked for it ({@link WorkSpans}).
 */
@AutoConfiguration
public class ObservabilityAutoConfiguration {

    @Bean
    MeterRegistryCustomizer<MeterRegistry> applicationTag(@Value("${spring.application.name:rollout}") String name) {
        return registry -> registry.config().commonTags("application", name);
    }

    @Bean
    WorkSpans workSpans(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        return new WorkSpans(tracer.getIfAvailable(), propagator.getIfAvailable());
    }
}
