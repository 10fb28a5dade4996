package dev.rollout.clusterbatcher.scaling;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Deployment to scale ahead of each batch, and how: one replica per {@code agentsPerReplica} active
 * agents, between {@code minReplicas} and {@code maxReplicas}. Unset {@code deployment}: no scaling.
 *
 * @param deployment       name of the Deployment (for instance cluster-batcher itself)
 * @param namespace        its namespace; empty: the client's (the pod's own namespace in a cluster)
 * @param apiUrl           the Kubernetes API; empty: in-cluster configuration or kubeconfig
 * @param agentsPerReplica agents one replica serves, from the capacity model (docs/operations.md)
 */
@ConfigurationProperties("rollout.batcher.scaling")
public record ScalingProperties(String deployment, String namespace, String apiUrl, Long agentsPerReplica,
        Integer minReplicas, Integer maxReplicas) {

    public ScalingProperties {
        agentsPerReplica = agentsPerReplica == null ? 2_000_000L : agentsPerReplica;
        minReplicas = minReplicas == null ? 2 : minReplicas;
        maxReplicas = maxReplicas == null ? 20 : maxReplicas;
    }

    boolean enabled() {
        return deployment != null && !deployment.isBlank();
    }

    int replicasFor(long activeAgents) {
        long wanted = (activeAgents + agentsPerReplica - 1) / agentsPerReplica;
        return (int) Math.max(minReplicas, Math.min(maxReplicas, wanted));
    }
}
