package dev.rollout.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.rollout.clusterbatcher.activation.RolloutState;
import dev.rollout.clusterbatcher.plan.BatchPlanner;
import dev.rollout.clusterbatcher.plan.FrozenPlan;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The in-process part of a desired-state lookup on a 20,000,000-agent fleet with batches 1 to 5 active and one
 * component pinned: from an agent's place (cluster, time zone, rank) to its batch and versions, for one agent and
 * for a call of 10,000. The batch comes from the frozen plan's per-stratum batch edges (a binary search);
 * {@code plannerKeyPass} is the same batch computed from the keys (one pass over the strata), for comparison.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DesiredStateBenchmark {

    @Param({ "10", "100" })
    int clusters;

    RolloutState state;
    FrozenPlan plan;
    String[] clusterIds;
    long perStratum;
    int[][] places;

    @Setup
    public void freeze() {
        List<BatchPlanner.StratumSize> sizes = new ArrayList<>();
        perStratum = 20_000_000L / (clusters * 24L);
        clusterIds = new String[clusters];
        for (int c = 0; c < clusters; c++) {
            clusterIds[c] = "cluster-" + c;
            for (int zone = -11; zone <= 12; zone++) {
                sizes.add(new BatchPlanner.StratumSize(clusterIds[c], zone, perStratum));
            }
        }
        BatchPlanner planner = BatchPlanner.freeze(sizes, 1_000_000, 20_000_000, 42);
        long[][] counts = new long[planner.batchCount()][planner.strata().size()];
        for (int s = 0; s < planner.strata().size(); s++) {
            long before = 0;
            for (int b = 0; b < planner.batchCount(); b++) {
                long edge = planner.countInStratumBefore(s, Math.min((long) (b + 1) * planner.batchSize(), planner.planned()));
                counts[b][s] = edge - before;
                before = edge;
            }
        }
        plan = new FrozenPlan(UUID.randomUUID(), planner, "2.4.0", "2.3.1",
                List.of(new FrozenPlan.ComponentVersions("planner", "2.4.0", "2.3.1"),
                        new FrozenPlan.ComponentVersions("memory", "1.9.0", "1.8.2")),
                counts, "bench", Instant.EPOCH, null);
        state = new RolloutState(plan, Set.of(0, 1, 2, 3, 4), false, Map.of("memory", "1.9.1"), Instant.EPOCH);
        places = new int[10_000][];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < places.length; i++) {
            places[i] = new int[] { random.nextInt(clusters), random.nextInt(24) - 11, (int) random.nextLong(perStratum) };
        }
    }

    @Benchmark
    public Map<String, String> oneAgent() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int batch = plan.batchOf(clusterIds[random.nextInt(clusters)], random.nextInt(24) - 11, random.nextLong(perStratum));
        return state.versions(batch);
    }

    /** A call of 10,000 agents; divide by 10,000 for the cost per agent. */
    @Benchmark
    public void tenThousandAgents(Blackhole sink) {
        for (int[] place : places) {
            int batch = plan.batchOf(clusterIds[place[0]], place[1], place[2]);
            sink.consume(state.activated(batch));
            sink.consume(state.versions(batch));
        }
    }

    @Benchmark
    public int plannerKeyPass() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return plan.planner().batchOf(random.nextInt(plan.planner().strata().size()), random.nextLong(perStratum));
    }
}
