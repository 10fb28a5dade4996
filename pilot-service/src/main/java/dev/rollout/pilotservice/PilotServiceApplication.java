package dev.rollout.pilotservice;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Pilot roster (Elite 11, Mastery 33), owner-level grants, onboarding and feedback. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PilotServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(PilotServiceApplication.class, args);
    }
}
