package dev.rollout.clusterbatcher.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The planner's invariants, over random fleets, batch sizes, caps and seeds. */
class BatchPlannerProperties {

    record Fleet(List<BatchPlanner.StratumSize> strata) {
        long total() {
            return strata.stream().mapToLong(BatchPlanner.StratumSize::size).sum();
        }
    }

    @Provide
    Arbitrary<Fleet> fleets() {
        Arbitrary<BatchPlanner.StratumSize> stratum = Combinators.combine(
                Arbitraries.of("eu-1", "eu-2", "us-1", "ap-1"), Arbitraries.integers().between(-11, 12),
                Arbitraries.longs().between(0, 400)).as(BatchPlanner.StratumSize::new);
        return stratum.list().ofMinSize(1).ofMaxSize(30)
                .map(list -> {
                    Map<String, BatchPlanner.StratumSize> unique = new HashMap<>();
                    list.forEach(s -> unique.putIfAbsent(s.clusterId() + "/" + s.tzOffset(), s));
                    return new Fleet(new ArrayList<>(unique.values()));
                })
                .filter(f -> f.total() > 0);
    }

    /** batch of every agent (stratum index, rank) of the fleet. */
    static int[][] batches(BatchPlanner plan) {
        int[][] batch = new int[plan.strata().size()][];
        for (int s = 0; s < batch.length; s++) {
            batch[s] = new int[(int) plan.strata().get(s).size()];
            for (int r = 0; r < batch[s].length; r++) {
                batch[s][r] = plan.batchOf(s, r);
            }
        }
        return batch;
    }

    @Property(tries = 1000)
    void everyAgentUpToTheCapIsInExactlyOneBatchAndBatchSizesAreExactExceptTheLast(@ForAll("fleets") Fleet fleet,
            @ForAll @IntRange(min = 1, max = 500) int batchSize, @ForAll @LongRange(min = 1, max = 6000) long cap,
            @ForAll long seed) {
        BatchPlanner plan = BatchPlanner.freeze(fleet.strata(), batchSize, cap, seed);
        long planned = Math.min(cap, fleet.total());
        assertThat(plan.planned()).isEqualTo(planned);

        boolean[] taken = new boolean[(int) fleet.total()];
        long[] perBatch = new long[plan.batchCount()];
        long inPlan = 0;
        for (int s = 0; s < plan.strata().size(); s++) {
            BatchPlanner.Stratum stratum = plan.strata().get(s);
            for (long r = 0; r < stratum.size(); r++) {
                long position = plan.position(s, stratum.slotOf(r));
                assertThat(taken[(int) position]).as("position %d taken twice", position).isFalse();
                taken[(int) position] = true;
                int b = plan.batchOf(s, r);
                if (b >= 0) {
                    perBatch[b]++;
                    inPlan++;
                }
            }
        }
        assertThat(inPlan).isEqualTo(planned);
        for (int b = 0; b < perBatch.length; b++) {
            long expected = b < perBatch.length - 1 ? batchSize : planned - (long) (perBatch.length - 1) * batchSize;
            assertThat(perBatch[b]).as("batch %d", b).isEqualTo(expected).isEqualTo(plan.sizeOf(b));
        }
    }

    @Property(tries = 1000)
    void theFrozenPlansEdgeLookupGivesEveryAgentThePlannersBatchAndInvertsItsSlot(@ForAll("fleets") Fleet fleet,
            @ForAll @IntRange(min = 1, max = 500) int batchSize, @ForAll @LongRange(min = 1, max = 6000) long cap,
            @ForAll long seed) {
        BatchPlanner planner = BatchPlanner.freeze(fleet.strata(), batchSize, cap, seed);
        FrozenPlan frozen = new FrozenPlan(UUID.randomUUID(), planner, "2", "1", List.of(),
                BatchPlans.counts(planner), "test", Instant.EPOCH, null);
        for (int s = 0; s < planner.strata().size(); s++) {
            BatchPlanner.Stratum stratum = planner.strata().get(s);
            assertThat(frozen.stratumIndex(stratum.clusterId(), stratum.tzOffset())).isEqualTo(s);
            for (long r = 0; r < stratum.size(); r++) {
                assertThat(frozen.batchOf(stratum.clusterId(), stratum.tzOffset(), r)).as("stratum %d rank %d", s, r)
                        .isEqualTo(planner.batchOf(s, r));
                assertThat(frozen.rankOf(s, stratum.slotOf(r))).isEqualTo(r);
            }
            assertThat(frozen.batchOf(stratum.clusterId(), stratum.tzOffset(), stratum.size())).isEqualTo(-1);
        }
        assertThat(frozen.stratumIndex("no-such-cluster", 0)).isEqualTo(-1);
    }

    @Property(tries = 1000)
    void everyBatchHoldsEachStratumInProportion(@ForAll("fleets") Fleet fleet,
            @ForAll @IntRange(min = 1, max = 500) int batchSize, @ForAll long seed) {
        BatchPlanner plan = BatchPlanner.freeze(fleet.strata(), batchSize, Long.MAX_VALUE, seed);
        int[][] batch = batches(plan);
        long total = plan.planned();
        for (int s = 0; s < batch.length; s++) {
            long[] counts = new long[plan.batchCount()];
            for (int b : batch[s]) {
                counts[b]++;
            }
            for (int b = 0; b < counts.length; b++) {
                double expected = (double) plan.strata().get(s).size() * plan.sizeOf(b) / total;
                assertThat(Math.abs(counts[b] - expected)).as("stratum %d batch %d", s, b)
                        .isLessThanOrEqualTo(BatchPlanner.proportionTolerance(plan.strata().size(),
                                plan.strata().get(s).size(), total));
                assertThat(plan.countInBatch(s, b)).isEqualTo(counts[b]);
            }
        }
    }

    @Property(tries = 1000)
    void everyBatchCoversEveryTimeZoneLargeEnoughToReachIt(@ForAll("fleets") Fleet fleet,
            @ForAll @IntRange(min = 1, max = 500) int batchSize, @ForAll long seed) {
        BatchPlanner plan = BatchPlanner.freeze(fleet.strata(), batchSize, Long.MAX_VALUE, seed);
        int[][] batch = batches(plan);
        Map<Integer, long[]> byZone = new HashMap<>();
        Map<Integer, Long> zoneSize = new HashMap<>();
        for (int s = 0; s < batch.length; s++) {
            int zone = plan.strata().get(s).tzOffset();
            long[] counts = byZone.computeIfAbsent(zone, z -> new long[plan.batchCount()]);
            zoneSize.merge(zone, plan.strata().get(s).size(), Long::sum);
            for (int b : batch[s]) {
                counts[b]++;
            }
        }
        for (var zone : byZone.entrySet()) {
            for (int batchIndex = 0; batchIndex < plan.batchCount(); batchIndex++) {
                int b = batchIndex;
                // a zone with a stratum whose share of this batch exceeds the planner's tolerance is present
                boolean owed = plan.strata().stream().filter(st -> st.tzOffset() == zone.getKey())
                        .anyMatch(st -> (double) st.size() * plan.sizeOf(b) / plan.planned()
                                > BatchPlanner.proportionTolerance(plan.strata().size(), st.size(), plan.planned()));
                if (owed) {
                    assertThat(zone.getValue()[b]).as("zone %d in batch %d", zone.getKey(), b).isPositive();
                }
            }
        }
    }

    @Property(tries = 200)
    void theSameFleetAndSeedAlwaysGiveTheSamePlan(@ForAll("fleets") Fleet fleet,
            @ForAll @IntRange(min = 1, max = 500) int batchSize, @ForAll long seed) {
        BatchPlanner first = BatchPlanner.freeze(fleet.strata(), batchSize, Long.MAX_VALUE, seed);
        List<BatchPlanner.StratumSize> shuffled = new ArrayList<>(fleet.strata());
        Collections.reverse(shuffled);
        BatchPlanner second = BatchPlanner.freeze(shuffled, batchSize, Long.MAX_VALUE, seed);
        assertThat(batches(second)).isDeepEqualTo(batches(first));
        BatchPlanner restored = BatchPlanner.of(first.strata(), batchSize, Long.MAX_VALUE);
        assertThat(batches(restored)).isDeepEqualTo(batches(first));
    }
}
