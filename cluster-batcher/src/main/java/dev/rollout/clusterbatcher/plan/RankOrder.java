package dev.rollout.clusterbatcher.plan;

import java.math.BigInteger;
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
 * A batch of up to {@link #HELD_SEATS} agents is held seat by seat, 8 bytes each: a stratum's seats in the batch are
 * a run of its slots, and the plan's permutation ({@code slot = multiplier * rank + offset mod size}) turned around
 * gives their ranks directly ({@code rank = (slot - offset) * multiplier^-1 mod size}), one addition a seat; put in
 * order once (counted into place by rank), the seat at any position is read off. A larger batch is walked instead:
 * its seat at any position is found from the last checkpoint before it, then rank by rank, with checkpoints taken
 * every {@link #CHECKPOINT_PAIRS} (stratum, rank) pairs while the order is built, in one pass over every rank of
 * every stratum. Either way it is the plan's arithmetic, not the database. Immutable.
 */
public final class RankOrder {

    /** A place in the order: stratum {@code s} of the plan, registration rank {@code rank}. */
    public record Seat(int stratum, long rank) {
    }

    /** (stratum, rank) pairs between two checkpoints, at most. */
    static final int CHECKPOINT_PAIRS = 1 << 16;
    /** Seats of a batch held one by one, at most (32 MB); a larger batch is walked from checkpoints. */
    static final int HELD_SEATS = 1 << 22;

    private final FrozenPlan plan;
    /** The plan's strata, largest first (then by their index): at rank r, those of size above r are a prefix. */
    private final int[] strata;
    private final long[] sizes;
    private final long[] lo;
    private final long[] hi;
    /**
     * The batch's seats in order, each {@code rank * strata.length + k} for the k-th largest stratum (so that the
     * numbers sort as the order does); null when the batch is walked.
     */
    private final long[] held;
    /** Checkpoint k: the rank where it is taken, and the batch's agents at lower ranks. */
    private final long[] checkpointRanks;
    private final long[] checkpointCounts;
    private final long total;

    private RankOrder(FrozenPlan plan, int batch, int checkpointPairs, boolean hold) {
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
        this.held = hold ? seatsInOrder() : null;
        if (held != null) {
            this.checkpointRanks = new long[0];
            this.checkpointCounts = new long[0];
            this.total = held.length;
            return;
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

    /**
     * The batch's seats from the inverse of each stratum's permutation, in order; null when there are more than
     * {@link #HELD_SEATS}, or when {@code rank * strata} would not fit a long. Where the largest stratum is not much
     * larger than the batch, they are put in order by counting the seats at each rank (two passes over the seats,
     * strata in order within a rank); else sorted.
     */
    private long[] seatsInOrder() {
        int n = strata.length;
        long seats = 0;
        for (int k = 0; k < n; k++) {
            seats += hi[k] - lo[k];
        }
        if (seats > HELD_SEATS || (n > 0 && sizes[0] > Long.MAX_VALUE / n)) {
            return null;
        }
        long[] order = new long[(int) seats];
        long ranks = n == 0 ? 0 : sizes[0];
        if (ranks > 2 * seats + 1024) {
            int at = 0;
            for (int k = 0; k < n; k++) {
                for (RankRun run = new RankRun(k); run.more(); run.next()) {
                    order[at++] = run.rank * n + k;
                }
            }
            Arrays.sort(order);
            return order;
        }
        int[] start = new int[(int) ranks + 1]; // seats at each rank, then where that rank's seats start
        for (int k = 0; k < n; k++) {
            for (RankRun run = new RankRun(k); run.more(); run.next()) {
                start[(int) run.rank + 1]++;
            }
        }
        for (int r = 0; r < ranks; r++) {
            start[r + 1] += start[r];
        }
        for (int k = 0; k < n; k++) { // strata in order: within a rank, the k-th largest after those before it
            for (RankRun run = new RankRun(k); run.more(); run.next()) {
                order[start[(int) run.rank]++] = run.rank * n + k;
            }
        }
        return order;
    }

    /**
     * The ranks of the batch's slots of the k-th largest stratum, slot by slot: one step on is the multiplier's
     * inverse modulo the stratum's size (the plan chose the multiplier prime to it).
     */
    private final class RankRun {

        long rank;
        private long slot;
        private final long end;
        private final long size;
        private final long step;

        RankRun(int k) {
            BatchPlanner.Stratum stratum = plan.planner().strata().get(strata[k]);
            this.size = sizes[k];
            this.slot = lo[k];
            this.end = hi[k];
            BigInteger modulus = BigInteger.valueOf(size);
            this.step = size == 1 ? 0 : BigInteger.valueOf(Math.floorMod(stratum.multiplier(), size))
                    .modInverse(modulus).longValueExact();
            this.rank = slot >= end ? 0 : BigInteger.valueOf(Math.floorMod(slot - stratum.offset(), size))
                    .multiply(BigInteger.valueOf(step)).mod(modulus).longValueExact();
        }

        boolean more() {
            return slot < end;
        }

        void next() {
            slot++;
            rank += step;
            if (rank >= size) {
                rank -= size;
            }
        }
    }

    /**
     * The order of batch {@code batch} (0-based) of the plan: its seats held when there are at most
     * {@link #HELD_SEATS}, else walked from checkpoints.
     */
    public static RankOrder of(FrozenPlan plan, int batch) {
        return of(plan, batch, CHECKPOINT_PAIRS, true);
    }

    /** The order of the batch, held or walked from checkpoints every {@code checkpointPairs} pairs (for tests). */
    static RankOrder of(FrozenPlan plan, int batch, int checkpointPairs, boolean hold) {
        if (batch < 0 || batch >= plan.planner().batchCount()) {
            throw new IllegalArgumentException("The plan has no batch " + batch);
        }
        return new RankOrder(plan, batch, checkpointPairs, hold);
    }

    /** Whether the batch's seats are held one by one (else they are walked from checkpoints). */
    boolean isHeld() {
        return held != null;
    }

    /**
     * Bytes this order holds: 8 a seat when held (8 MB for a batch of 1,000,000), else a few per stratum and per
     * checkpoint (~10 kB for 240 strata).
     */
    public long footprint() {
        return 32L * strata.length + 16L * checkpointRanks.length + (held == null ? 0 : 8L * held.length) + 64;
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
        if (held != null) {
            Seat[] seats = new Seat[(int) Math.min(count, total - from)];
            int n = strata.length;
            for (int i = 0; i < seats.length; i++) {
                long seat = held[(int) from + i];
                seats[i] = new Seat(strata[(int) (seat % n)], seat / n);
            }
            return seats;
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
