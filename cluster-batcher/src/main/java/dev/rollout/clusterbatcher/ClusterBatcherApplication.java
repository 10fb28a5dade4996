package dev.rollout.clusterbatcher;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Fleet registry, stratified batch plans, O(1) activations and the agent API. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ClusterBatcherApplication {

    public static void main(String[] args) {
        SpringApplication.run(ClusterBatcherApplication.class, args);
    }
}
