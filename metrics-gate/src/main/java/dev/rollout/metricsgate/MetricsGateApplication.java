package dev.rollout.metricsgate;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** KPI policies, CI evidence, metric providers and explained gate evaluations. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class MetricsGateApplication {

    public static void main(String[] args) {
        SpringApplication.run(MetricsGateApplication.class, args);
    }
}
