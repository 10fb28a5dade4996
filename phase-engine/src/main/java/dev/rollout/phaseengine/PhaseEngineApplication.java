package dev.rollout.phaseengine;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Rollouts, their plans and the four gated phases. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PhaseEngineApplication {

    public static void main(String[] args) {
        SpringApplication.run(PhaseEngineApplication.class, args);
    }
}
