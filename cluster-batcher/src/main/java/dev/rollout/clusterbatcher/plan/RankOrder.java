package dev.rollout.clusterbatcher.plan;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The agents of one batch of a frozen plan in the order of the stratum index: by rank, then stratum (largest first).
 * <p>
 * A batch holds a share of every stratum, its ranks scattered over the stratum by the plan's permutation. Looked up
 * stratum by stratum, each of its agents costs a descent of the stratum index into a page no other lookup near it
 * touches (the index is led by the rank: one stratum's ranks lie thousands of entries apart). Taken rank by rank over
 * every stratum, the agents of a page lie side by side in the index, and each lookup finds its pages where the one
 * before it left them. Pages of a batch follow this order.
 * <p>
 * The seat at any position is found from the last checkpoint before it, then rank by rank: checkpoints taken every
 * {@link #CHECKPOINT_PAIRS} (stratum, rank) pairs while the order is built, in one pass over every rank of every
 * stratum (the plan's arithmetic, not the database). Immutable.
 */
public final class RankOrder {

    /** A place in the order: stratum {@code s} of the plan, registration rank {@code rank}. */
    public record Seat(int stratum, long rank) {
    }

    /** (stratum, rank) pairs between two checkpoints, at most. */
    static final int CHECKPOINT_PAIRS = 1 << 16;

    private final FrozenPlan plan;
    /** The plan's strata, largest first (then by their index): at rank r, those of size above r are a prefix. */
    private final int[] strata;
    private final long[] sizes;
    private final long[] lo;
    private final long[] hi;
    /** Checkpoint k: the rank where it is taken, and the batch's agents at lower ranks. */
    private final long[] checkpointRanks;
    private final long[] checkpointCounts;
    private final long total;

    private RankOrder(FrozenPlan plan, int batch, int checkpointPairs) {
        this.plan = plan;
        int n = plan.planner().strata().size();
        this.strata = IntStream.range(0, n).boxed()
                .sorted(Comparator.<Integer>comparingLong(s -> -plan.planner().strata().get(s).size())
                        .thenComparingInt(s -> s))
                .mapToInt(Integer::intValue).toArray();
        this.sizes = new long[n];
        this.lo = new long[n];
        this.hi = new long[n];
        for (int k = 0; k < n; k++) {
            sizes[k] = plan.planner().strata().get(strata[k]).size();
            lo[k] = plan.firstSlot(strata[k], batch);
            hi[k] = plan.endSlot(strata[k], batch);
        }
        long[] ranks = new long[16];
        long[] counts = new long[16];
        int checkpoints = 0;
        long count = 0;
        long pairs = 0;
        long maxRank = n == 0 ? 0 : sizes[0];
        for (Walk walk = new Walk(0); walk.rank < maxRank; walk.next()) {
            if (walk.rank == 0 || pairs >= checkpointPairs) {
                if (checkpoints == ranks.length) {
                    ranks = Arrays.copyOf(ranks, checkpoints * 2);
                    counts = Arrays.copyOf(counts, checkpoints * 2);
                }
                ranks[checkpoints] = walk.rank;
                counts[checkpoints] = count;
                checkpoints++;
                pairs = 0;
            }
            for (int k = 0; k < walk.active; k++) {
                if (walk.inBatch(k)) {
                    count++;
                }
            }
            pairs += walk.active;
        }
        this.checkpointRanks = Arrays.copyOf(ranks, Math.max(1, checkpoints));
        this.checkpointCounts = Arrays.copyOf(counts, Math.max(1, checkpoints));
        this.total = count;
    }

    /** The order of batch {@code batch} (0-based) of the plan: one pass over its strata's ranks. */
    public static RankOrder of(FrozenPlan plan, int batch) {
        return of(plan, batch, CHECKPOINT_PAIRS);
    }

    static RankOrder of(FrozenPlan plan, int batch, int checkpointPairs) {
        if (batch < 0 || batch >= plan.planner().batchCount()) {
            throw new IllegalArgumentException("The plan has no batch " + batch);
        }
        return new RankOrder(plan, batch, checkpointPairs);
    }

    /** Bytes this order holds: a few per stratum and per checkpoint (~10 kB for 240 strata). */
    public long footprint() {
        return 32L * strata.length + 16L * checkpointRanks.length + 64;
    }

    /** Agents of the batch, as the plan counts them. */
    public long total() {
        return total;
    }

    /** The seats at positions {@code [from, from + count)} of the order (fewer at its end). */
    public Seat[] seats(long from, int count) {
        if (from < 0 || count < 0) {
            throw new IllegalArgumentException("from and count must not be negative");
        }
        if (from >= total || count == 0) {
            return new Seat[0];
        }
        // the last checkpoint at or before the position, then rank by rank from there
        int c = 0;
        int above = checkpointCounts.length;
        while (above - c > 1) { // the last checkpoint with at most `from` agents before it
            int mid = (c + above) >>> 1;
            if (checkpointCounts[mid] <= from) {
                c = mid;
            }
            else {
                above = mid;
            }
        }
        long position = checkpointCounts[c];
        Seat[] seats = new Seat[(int) Math.min(count, total - from)];
        int found = 0;
        for (Walk walk = new Walk(checkpointRanks[c]); found < seats.length && walk.active > 0; walk.next()) {
            for (int k = 0; k < walk.active; k++) {
                if (walk.inBatch(k)) {
                    if (position >= from && found < seats.length) {
                        seats[found++] = new Seat(strata[k], walk.rank);
                    }
                    position++;
                }
            }
        }
        return found == seats.length ? seats : Arrays.copyOf(seats, found);
    }

    /**
     * The strata's slots at one rank, rank after rank: the walk that both the checkpoints and the pages take. At rank
     * r only the strata of more than r agents take part: a prefix of {@link #strata}, {@code active} long.
     */
    private final class Walk {

        long rank;
        int active;
        private final long[] slots;
        private final long[] steps;

        Walk(long rank) {
            this.rank = rank;
            this.active = strata.length;
            shrink();
            this.slots = new long[active];
            this.steps = new long[active];
            for (int k = 0; k < active; k++) {
                BatchPlanner.Stratum stratum = plan.planner().strata().get(strata[k]);
                slots[k] = stratum.slotOf(rank);
                steps[k] = Math.floorMod(stratum.multiplier(), stratum.size());
            }
        }

        /** Whether the agent of rank {@link #rank} in the k-th largest stratum is in the batch. */
        boolean inBatch(int k) {
            return slots[k] >= lo[k] && slots[k] < hi[k];
        }

        /** To the next rank: each stratum's slot one step on, the strata too small for it left out. */
        void next() {
            for (int k = 0; k < active; k++) {
                long slot = slots[k] + steps[k];
                slots[k] = slot >= sizes[k] ? slot - sizes[k] : slot;
            }
            rank++;
            shrink();
        }

        private void shrink() {
            while (active > 0 && sizes[active - 1] <= rank) {
                active--;
            }
        }
    }
}
