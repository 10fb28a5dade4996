package dev.rollout.clusterbatcher.scaling;

import java.util.UUID;

import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Scales a Deployment up (never down) through the Kubernetes API's scale subresource. */
final class DeploymentScaling implements ScalingHook, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeploymentScaling.class);

    private final ScalingProperties properties;
    private final KubernetesClient client;

    DeploymentScaling(ScalingProperties properties) {
        this.properties = properties;
        ConfigBuilder config = new ConfigBuilder(Config.autoConfigure(null));
        if (properties.apiUrl() != null && !properties.apiUrl().isBlank()) {
            config.withMasterUrl(properties.apiUrl());
        }
        if (properties.namespace() != null && !properties.namespace().isBlank()) {
            config.withNamespace(properties.namespace());
        }
        this.client = new KubernetesClientBuilder().withConfig(config.build()).build();
    }

    @Override
    public Scaled beforeActivation(UUID rolloutId, long activeAgentsAfter) {
        int wanted = properties.replicasFor(activeAgentsAfter);
        try {
            var deployment = client.apps().deployments().withName(properties.deployment());
            Scale current = deployment.scale();
            int replicas = current == null || current.getSpec() == null || current.getSpec().getReplicas() == null ? 0
                    : current.getSpec().getReplicas();
            if (replicas >= wanted) {
                return null;
            }
            deployment.scale(wanted);
            log.info("Scaled deployment {} from {} to {} replicas before activating rollout {} ({} agents active after)",
                    properties.deployment(), replicas, wanted, rolloutId, activeAgentsAfter);
            return new Scaled(properties.deployment(), replicas, wanted);
        }
        catch (KubernetesClientException e) {
            throw new ScalingFailed("Could not scale deployment " + properties.deployment() + " to " + wanted
                    + " replicas: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    /** The Kubernetes API refused or did not answer: the batch waits. */
    static final class ScalingFailed extends RuntimeException {
        ScalingFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
