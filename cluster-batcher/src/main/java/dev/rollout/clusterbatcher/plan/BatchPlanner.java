package dev.rollout.clusterbatcher.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A frozen, stratified batch plan whose membership is a pure function, so that activating a batch of
 * 1,000,000 agents writes one row and an agent's batch is computed, never stored.
 *
 * <p>The fleet is split into strata (cluster x hourly time zone). Within stratum {@code s} of size
 * {@code n_s}, every agent has a slot {@code k} in {@code [0, n_s)} (its registration rank, permuted per
 * rollout). The agent's key is the fraction {@code (2k+1) / (2 n_s)}: the midpoint of its share of the
 * stratum. All agents of the fleet, ordered by key (ties by stratum index), take positions
 * {@code 0..N-1}; batch {@code b} is positions {@code [b*size, (b+1)*size)}. Interleaving by key makes
 * every batch hold each stratum in proportion to its size, within {@link #proportionTolerance} agents
 * (a few agents of a share of tens of thousands at the plan's scale), so every batch spans every
 * cluster and time zone. Computing a position costs one pass over the strata, independent of the
 * fleet size.
 */
public final class BatchPlanner {

    /** One stratum as frozen in the plan: its size and the per-rollout permutation of its slots. */
    public record Stratum(String clusterId, int tzOffset, long size, long multiplier, long offset) {

        /** The slot of the agent registered with {@code rank} in this stratum (a bijection on [0, size)). */
        public long slotOf(long rank) {
            return Math.floorMod(Math.addExact(Math.multiplyExact(multiplier, rank), offset), size);
        }
    }

    private final List<Stratum> strata;
    private final long[] sizes;
    private final long batchSize;
    private final long fleetCap;
    private final long planned;

    private BatchPlanner(List<Stratum> strata, long batchSize, long fleetCap) {
        this.strata = List.copyOf(strata);
        this.sizes = strata.stream().mapToLong(Stratum::size).toArray();
        this.batchSize = batchSize;
        this.fleetCap = fleetCap;
        long total = 0;
        for (long size : sizes) {
            total += size;
        }
        this.planned = Math.min(total, fleetCap);
    }

    /** The count of agents of one stratum when the plan is frozen. */
    public record StratumSize(String clusterId, int tzOffset, long size) {
    }

    /**
     * Freezes a plan over the given strata. The same strata, sizes and seed always give the same plan;
     * the seed (derived from the rollout) decides which agents of a stratum come first.
     */
    public static BatchPlanner freeze(List<StratumSize> sizes, long batchSize, long fleetCap, long seed) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive");
        }
        if (fleetCap <= 0) {
            throw new IllegalArgumentException("fleetCap must be positive");
        }
        List<Stratum> strata = new ArrayList<>();
        sizes.stream().filter(s -> s.size() > 0)
                .sorted(Comparator.comparing(StratumSize::clusterId).thenComparingInt(StratumSize::tzOffset))
                .forEach(s -> strata.add(permuted(s, seed)));
        return new BatchPlanner(strata, batchSize, fleetCap);
    }

    /** Rebuilds a frozen plan from its stored strata. */
    public static BatchPlanner of(List<Stratum> strata, long batchSize, long fleetCap) {
        return new BatchPlanner(strata, batchSize, fleetCap);
    }

    private static Stratum permuted(StratumSize s, long seed) {
        long n = s.size();
        long mix = mix(seed ^ (s.clusterId().hashCode() * 31L + s.tzOffset()));
        long multiplier = 1;
        if (n > 2) {
            multiplier = 1 + Math.floorMod(mix, Math.min(n - 1, 1L << 30));
            while (gcd(multiplier, n) != 1) {
                multiplier = multiplier % (n - 1) + 1;
            }
        }
        long offset = Math.floorMod(mix(mix), n);
        return new Stratum(s.clusterId(), s.tzOffset(), n, multiplier, offset);
    }

    public List<Stratum> strata() {
        return strata;
    }

    public long batchSize() {
        return batchSize;
    }

    public long fleetCap() {
        return fleetCap;
    }

    /** Agents the plan covers: the fleet, up to the cap. */
    public long planned() {
        return planned;
    }

    public int batchCount() {
        return (int) ((planned + batchSize - 1) / batchSize);
    }

    /** Size of batch {@code b}: {@code batchSize} for all but possibly the last. */
    public long sizeOf(int batch) {
        return Math.min(batchSize, planned - batch * batchSize);
    }

    /**
     * How far a stratum's count in one batch may be from its exact proportional share: each batch edge
     * rounds every stratum's count by less than one, so the edge sits within S/2 keys of its ideal
     * place, which moves a stratum of size n by up to n*S/(2N) on each edge.
     */
    public static double proportionTolerance(int strata, long stratumSize, long planned) {
        return 2.0 + (double) stratumSize * strata / planned;
    }

    /** The index of a stratum in this plan, or -1. */
    public int stratumIndex(String clusterId, int tzOffset) {
        for (int i = 0; i < strata.size(); i++) {
            Stratum s = strata.get(i);
            if (s.tzOffset() == tzOffset && s.clusterId().equals(clusterId)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The batch (0-based) of the agent registered with {@code rank} in stratum {@code s}, or -1 when it
     * is outside the plan (registered after the freeze, or beyond the fleet cap).
     */
    public int batchOf(int s, long rank) {
        if (s < 0 || rank < 0 || rank >= sizes[s]) {
            return -1;
        }
        long position = position(s, strata.get(s).slotOf(rank));
        return position < planned ? (int) (position / batchSize) : -1;
    }

    /** The position in [0, N) of slot {@code k} of stratum {@code s}. */
    public long position(int s, long k) {
        long ns = sizes[s];
        long twoKPlusOne = 2 * k + 1;
        long position = k;
        for (int t = 0; t < sizes.length; t++) {
            if (t != s) {
                position += countBefore(sizes[t], ns, twoKPlusOne, t < s);
            }
        }
        return position;
    }

    /**
     * How many slots {@code j} of a stratum of size {@code nt} have a key below {@code (2k+1)/(2 ns)}, or
     * equal to it when that stratum comes first.
     */
    static long countBefore(long nt, long ns, long twoKPlusOne, boolean winsTies) {
        long x = Math.multiplyExact(twoKPlusOne, nt); // key_j < key_k  <=>  (2j+1) * ns < x
        long below = ((x - 1) / ns + 1) / 2;          // odd numbers m = 2j+1 with m * ns < x
        if (winsTies && x % ns == 0 && (x / ns) % 2 == 1) {
            below++;                                  // (2j+1) * ns == x: an exact tie
        }
        return Math.max(0, Math.min(nt, below));
    }

    /**
     * How many agents of stratum {@code s} sit before position {@code p}; positions of a stratum's slots
     * increase with the slot, so a binary search over slots finds it.
     */
    public long countInStratumBefore(int s, long p) {
        long lo = 0;
        long hi = sizes[s];
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (position(s, mid) < p) {
                lo = mid + 1;
            }
            else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Agents of stratum {@code s} in batch {@code b}. */
    public long countInBatch(int s, int b) {
        long start = (long) b * batchSize;
        long end = Math.min(start + batchSize, planned);
        return countInStratumBefore(s, end) - countInStratumBefore(s, start);
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
