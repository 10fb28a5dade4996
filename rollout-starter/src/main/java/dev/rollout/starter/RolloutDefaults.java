package dev.rollout.starter;

import java.io.IOException;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * The platform's defaults for every service (database, JSON, actuator, probes), at the lowest
 * precedence: a service's application.yml, the environment or the command line override any of them.
 */
public class RolloutDefaults implements EnvironmentPostProcessor, Ordered {

    static final String RESOURCE = "rollout-defaults.properties";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        try {
            ResourcePropertySource defaults = new ResourcePropertySource("rolloutDefaults",
                    new ClassPathResource(RESOURCE, RolloutDefaults.class.getClassLoader()));
            if (environment.containsProperty("rollout.db.schema")) {
                // a service with a database is ready only when its database answers
                defaults.getSource().put("management.endpoint.health.group.readiness.include", "readinessState,db");
            }
            environment.getPropertySources().addLast(defaults);
        }
        catch (IOException e) {
            throw new IllegalStateException("Cannot read " + RESOURCE, e);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
