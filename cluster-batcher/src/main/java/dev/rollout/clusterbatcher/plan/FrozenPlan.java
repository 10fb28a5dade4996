package dev.rollout.clusterbatcher.plan;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A rollout's plan as frozen: the planner, the versions it moves between, and the agents per batch and
 * stratum. Immutable.
 */
public final class FrozenPlan {

    /** A component and the two versions it moves between. */
    public record ComponentVersions(String name, String targetVersion, String previousVersion) {
    }

    private final UUID rolloutId;
    private final BatchPlanner planner;
    private final String targetVersion;
    private final String previousVersion;
    private final List<ComponentVersions> components;
    private final long[][] counts;
    private final String frozenBy;
    private final Instant frozenAt;
    private final Instant closedAt;
    private final Map<String, Integer> strataIndex = new HashMap<>();

    public FrozenPlan(UUID rolloutId, BatchPlanner planner, String targetVersion, String previousVersion,
            List<ComponentVersions> components, long[][] counts, String frozenBy, Instant frozenAt, Instant closedAt) {
        this.rolloutId = rolloutId;
        this.planner = planner;
        this.targetVersion = targetVersion;
        this.previousVersion = previousVersion;
        this.components = List.copyOf(components);
        this.counts = counts;
        this.frozenBy = frozenBy;
        this.frozenAt = frozenAt;
        this.closedAt = closedAt;
        for (int i = 0; i < planner.strata().size(); i++) {
            BatchPlanner.Stratum s = planner.strata().get(i);
            strataIndex.put(key(s.clusterId(), s.tzOffset()), i);
        }
    }

    private static String key(String clusterId, int tzOffset) {
        return clusterId + '\u0000' + tzOffset;
    }

    /** The stratum index of (cluster, zone) in this plan, or -1 when the plan has no such stratum. */
    public int stratumIndex(String clusterId, int tzOffset) {
        return strataIndex.getOrDefault(key(clusterId, tzOffset), -1);
    }

    /** The 0-based batch of an agent, or -1 when the plan does not cover it. */
    public int batchOf(String clusterId, int tzOffset, long rank) {
        return planner.batchOf(stratumIndex(clusterId, tzOffset), rank);
    }

    /** Agents of stratum {@code s} in batch {@code b} (0-based). */
    public long count(int b, int s) {
        return counts[b][s];
    }

    public UUID rolloutId() {
        return rolloutId;
    }

    public BatchPlanner planner() {
        return planner;
    }

    public long fleetCap() {
        return planner.fleetCap();
    }

    public String targetVersion() {
        return targetVersion;
    }

    public String previousVersion() {
        return previousVersion;
    }

    public List<ComponentVersions> components() {
        return components;
    }

    public String frozenBy() {
        return frozenBy;
    }

    public Instant frozenAt() {
        return frozenAt;
    }

    public Instant closedAt() {
        return closedAt;
    }
}
