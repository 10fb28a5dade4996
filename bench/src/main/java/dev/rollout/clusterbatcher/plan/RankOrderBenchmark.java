package dev.rollout.clusterbatcher.plan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What cluster-batcher spends on the order of one batch of 1,000,000 agents of a 20,000,000-agent plan (10 clusters
 * over 24 time zones, as in the demo) before it asks PostgreSQL for anyone: building the order, then the seats of
 * its 100 pages of 10,000. Held seat by seat (the inverse of each stratum's permutation, sorted) against walked from
 * checkpoints rank by rank. In this package because the choice between the two is not public.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RankOrderBenchmark {

    private static final int PAGE = 10_000;

    @Param({ "true", "false" })
    boolean held;

    FrozenPlan plan;

    @Setup
    public void freeze() {
        List<BatchPlanner.StratumSize> sizes = new ArrayList<>();
        long perStratum = 20_000_000L / 240;
        for (int c = 0; c < 10; c++) {
            for (int zone = -11; zone <= 12; zone++) {
                sizes.add(new BatchPlanner.StratumSize("cluster-" + c, zone, perStratum));
            }
        }
        BatchPlanner planner = BatchPlanner.freeze(sizes, 1_000_000, 20_000_000, 42);
        plan = new FrozenPlan(UUID.randomUUID(), planner, "2", "1", List.of(), BatchPlans.counts(planner), "bench",
                Instant.EPOCH, null);
    }

    /** The order of batch 8 built, as for its first page. */
    @Benchmark
    public long build() {
        return RankOrder.of(plan, 7, RankOrder.CHECKPOINT_PAIRS, held).total();
    }

    /** The order of batch 8 built, then the seats of every page of it, as a listing of the whole batch asks. */
    @Benchmark
    public long buildAndPageThrough() {
        RankOrder order = RankOrder.of(plan, 7, RankOrder.CHECKPOINT_PAIRS, held);
        long sum = 0;
        for (long from = 0; from < order.total(); from += PAGE) {
            RankOrder.Seat[] seats = order.seats(from, PAGE);
            sum += seats[seats.length - 1].rank();
        }
        return sum;
    }
}
