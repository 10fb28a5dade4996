package dev.rollout.platform.standalone;

/** The six services of the platform, as the launcher starts them. */
public enum PlatformService {

    PHASE_ENGINE("phase-engine", 8081, "dev.rollout.phaseengine.PhaseEngineApplication", "phase_engine"),
    PILOT_SERVICE("pilot-service", 8082, "dev.rollout.pilotservice.PilotServiceApplication", "pilot_service"),
    CLUSTER_BATCHER("cluster-batcher", 8083, "dev.rollout.clusterbatcher.ClusterBatcherApplication", "cluster_batcher"),
    METRICS_GATE("metrics-gate", 8084, "dev.rollout.metricsgate.MetricsGateApplication", "metrics_gate"),
    ROLLBACK_SERVICE("rollback-service", 8085, "dev.rollout.rollbackservice.RollbackServiceApplication", "rollback_service"),
    ROLLOUT_API("rollout-api", 8080, "dev.rollout.api.RolloutApiApplication", null);

    private final String module;
    private final int defaultPort;
    private final String mainClass;
    private final String schema;

    PlatformService(String module, int defaultPort, String mainClass, String schema) {
        this.module = module;
        this.defaultPort = defaultPort;
        this.mainClass = mainClass;
        this.schema = schema;
    }

    public String module() {
        return module;
    }

    public int defaultPort() {
        return defaultPort;
    }

    public String mainClass() {
        return mainClass;
    }

    /** The service's own database schema; null for the edge, which keeps no state. */
    public String schema() {
        return schema;
    }
}
