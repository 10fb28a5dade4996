package dev.rollout.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.rollout.clusterbatcher.plan.BatchPlanner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of computing one agent's batch (the heart of a desired-state lookup) on a 20,000,000-agent
 * fleet, for 10 and 100 clusters over the 24 time zones (240 and 2,400 strata).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PlannerBenchmark {

    @Param({ "10", "100" })
    int clusters;

    BatchPlanner planner;
    long perStratum;

    @Setup
    public void freeze() {
        List<BatchPlanner.StratumSize> sizes = new ArrayList<>();
        perStratum = 20_000_000L / (clusters * 24L);
        for (int c = 0; c < clusters; c++) {
            for (int zone = -11; zone <= 12; zone++) {
                sizes.add(new BatchPlanner.StratumSize("cluster-" + c, zone, perStratum));
            }
        }
        planner = BatchPlanner.freeze(sizes, 1_000_000, 20_000_000, 42);
    }

    @Benchmark
    public int batchOfOneAgent() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return planner.batchOf(random.nextInt(planner.strata().size()), random.nextLong(perStratum));
    }
}
