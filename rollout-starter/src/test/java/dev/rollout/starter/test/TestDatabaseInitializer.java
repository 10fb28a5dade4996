package dev.rollout.starter.test;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.PropertySource;

/**
 * Points every Spring test context of the platform at {@link TestDatabase}, resolved only when a
 * context actually reads the datasource properties (a web slice never does).
 */
public class TestDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        var environment = context.getEnvironment();
        environment.getPropertySources().addFirst(new PropertySource<>("rolloutTestDatabase", new Object()) {
            @Override
            public Object getProperty(String name) {
                if (!name.startsWith("spring.datasource.")) {
                    return null;
                }
                return switch (name) {
                    case "spring.datasource.url" -> TestDatabase.get().url();
                    case "spring.datasource.username" -> TestDatabase.get().username();
                    case "spring.datasource.password" -> TestDatabase.get().password();
                    default -> null;
                };
            }
        });
    }
}
