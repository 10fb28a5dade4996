package dev.rollout.clusterbatcher.plan;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private final Map<String, int[]> strataByCluster = new HashMap<>();
    /** edges[s][b]: the first slot of stratum s in batch b; edges[s][batches] is the stratum's planned end. */
    private final long[][] edges;
    /** The inverse of each stratum's slot permutation's multiplier, modulo its size. */
    private final long[] inverses;
    /** Signs and checks its agents' seats; null for a plan frozen before plans had a key. */
    private final SeatTokens seats;

    public FrozenPlan(UUID rolloutId, BatchPlanner planner, String targetVersion, String previousVersion,
            List<ComponentVersions> components, long[][] counts, String frozenBy, Instant frozenAt, Instant closedAt) {
        this(rolloutId, planner, targetVersion, previousVersion, components, counts, frozenBy, frozenAt, closedAt,
                null);
    }

    /** With the plan's key ({@code seatKey}, null for none): its agents' seats are signed and checked with it. */
    public FrozenPlan(UUID rolloutId, BatchPlanner planner, String targetVersion, String previousVersion,
            List<ComponentVersions> components, long[][] counts, String frozenBy, Instant frozenAt, Instant closedAt,
            byte[] seatKey) {
        this.seats = seatKey == null ? null : new SeatTokens(rolloutId, seatKey);
        this.rolloutId = rolloutId;
        this.planner = planner;
        this.targetVersion = targetVersion;
        this.previousVersion = previousVersion;
        this.components = List.copyOf(components);
        this.counts = counts;
        this.frozenBy = frozenBy;
        this.frozenAt = frozenAt;
        this.closedAt = closedAt;
        int strata = planner.strata().size();
        this.edges = new long[strata][counts.length + 1];
        this.inverses = new long[strata];
        for (int i = 0; i < strata; i++) {
            BatchPlanner.Stratum s = planner.strata().get(i);
            int[] zones = strataByCluster.computeIfAbsent(s.clusterId(), c -> {
                int[] none = new int[ZONES];
                Arrays.fill(none, -1);
                return none;
            });
            zones[zone(s.tzOffset())] = i;
            inverses[i] = s.size() < 2 ? 0 : BigInteger.valueOf(s.multiplier())
                    .modInverse(BigInteger.valueOf(s.size())).longValue();
            for (int b = 0; b < counts.length; b++) {
                edges[i][b + 1] = edges[i][b] + counts[b][i];
            }
        }
    }

    private static final int FIRST_ZONE = -12;
    private static final int ZONES = 27;

    private static int zone(int tzOffset) {
        return tzOffset - FIRST_ZONE;
    }

    /** The stratum index of (cluster, zone) in this plan, or -1 when the plan has no such stratum. */
    public int stratumIndex(String clusterId, int tzOffset) {
        int[] zones = strataByCluster.get(clusterId);
        int z = zone(tzOffset);
        return zones == null || z < 0 || z >= ZONES ? -1 : zones[z];
    }

    /**
     * The 0-based batch of an agent, or -1 when the plan does not cover it: the agent's slot in its stratum
     * found among the stratum's batch edges (a binary search over the batches, whatever the fleet size or
     * the number of strata). Equal to {@link BatchPlanner#batchOf}, which computes it from the keys.
     */
    public int batchOf(String clusterId, int tzOffset, long rank) {
        int s = stratumIndex(clusterId, tzOffset);
        if (s < 0 || rank < 0 || rank >= planner.strata().get(s).size()) {
            return -1;
        }
        return batchOfSlot(s, planner.strata().get(s).slotOf(rank));
    }

    /** The batch holding slot {@code slot} of stratum {@code s}, or -1 past the plan's end. */
    int batchOfSlot(int s, long slot) {
        long[] e = edges[s];
        if (slot >= e[e.length - 1]) {
            return -1;
        }
        int lo = 0;
        int hi = e.length - 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (e[mid] <= slot) {
                lo = mid;
            }
            else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The registration rank of the agent at {@code slot} of stratum {@code s}: the inverse of its permutation. */
    public long rankOf(int s, long slot) {
        long n = planner.strata().get(s).size();
        long shifted = Math.floorMod(slot - planner.strata().get(s).offset(), n);
        if (n < (1L << 31)) {
            return shifted * inverses[s] % n;
        }
        return BigInteger.valueOf(shifted).multiply(BigInteger.valueOf(inverses[s]))
                .mod(BigInteger.valueOf(n)).longValue();
    }

    /** The slots of stratum {@code s} in batch {@code b}: {@code [first, end)}. */
    public long firstSlot(int s, int b) {
        return edges[s][b];
    }

    public long endSlot(int s, int b) {
        return edges[s][b + 1];
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

    /** What signs and checks the seats of this plan's agents, while it is open and has a key. */
    public Optional<SeatTokens> seats() {
        return closedAt == null ? Optional.ofNullable(seats) : Optional.empty();
    }
}
