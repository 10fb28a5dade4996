package dev.rollout.rollbackservice;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Partial and full rollbacks as durable sagas, and root-cause records. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RollbackServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(RollbackServiceApplication.class, args);
    }
}
