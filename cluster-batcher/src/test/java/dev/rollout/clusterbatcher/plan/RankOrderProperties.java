package dev.rollout.clusterbatcher.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import dev.rollout.clusterbatcher.plan.BatchPlannerProperties.Fleet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * A batch's pages in rank order: every agent of the batch exactly once, in order, whatever the page size, whether
 * the order holds its seats or walks them from checkpoints.
 */
class RankOrderProperties {

    @Provide
    Arbitrary<Fleet> fleets() {
        return new BatchPlannerProperties().fleets();
    }

    @Property(tries = 500)
    void pagesInRankOrderHoldEveryAgentOfTheBatchOnceInOrder(@ForAll("fleets") Fleet fleet,
            @ForAll @IntRange(min = 1, max = 500) int batchSize, @ForAll @LongRange(min = 1, max = 6000) long cap,
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 700) int pageSize,
            @ForAll @IntRange(min = 1, max = 300) int checkpointPairs, @ForAll boolean hold) {
        BatchPlanner planner = BatchPlanner.freeze(fleet.strata(), batchSize, cap, seed);
        FrozenPlan frozen = new FrozenPlan(UUID.randomUUID(), planner, "2", "1", List.of(),
                BatchPlans.counts(planner), "test", Instant.EPOCH, null);
        Comparator<RankOrder.Seat> expectedOrder = Comparator.<RankOrder.Seat>comparingLong(RankOrder.Seat::rank)
                .thenComparingLong(seat -> -planner.strata().get(seat.stratum()).size())
                .thenComparingInt(RankOrder.Seat::stratum);
        for (int b = 0; b < planner.batchCount(); b++) {
            List<RankOrder.Seat> members = new ArrayList<>();
            for (int s = 0; s < planner.strata().size(); s++) {
                for (long r = 0; r < planner.strata().get(s).size(); r++) {
                    if (planner.batchOf(s, r) == b) {
                        members.add(new RankOrder.Seat(s, r));
                    }
                }
            }
            members.sort(expectedOrder);
            RankOrder order = RankOrder.of(frozen, b, checkpointPairs, hold);
            assertThat(order.isHeld()).isEqualTo(hold);
            assertThat(order.total()).isEqualTo(members.size());
            long counted = 0;
            for (int s = 0; s < planner.strata().size(); s++) {
                counted += frozen.count(b, s);
            }
            assertThat(order.total()).isEqualTo(counted);
            List<RankOrder.Seat> paged = new ArrayList<>();
            for (long from = 0; from < order.total(); from += pageSize) {
                RankOrder.Seat[] page = order.seats(from, pageSize);
                assertThat(page).hasSize((int) Math.min(pageSize, order.total() - from));
                paged.addAll(List.of(page));
            }
            assertThat(paged).as("batch %d", b).containsExactlyElementsOf(members);
            assertThat(order.seats(order.total(), pageSize)).isEmpty();
            // any position, not only page starts
            if (!members.isEmpty()) {
                int at = (int) Math.floorMod(seed, members.size());
                assertThat(order.seats(at, 3)).containsExactlyElementsOf(
                        members.subList(at, Math.min(members.size(), at + 3)));
            }
        }
    }

    /**
     * Strata of billions of agents, too many to walk: the held seats of a batch are each in the batch's slots of its
     * stratum, once, in rank order, their ranks found from the inverse of the multiplier (not by search).
     */
    @Example
    void heldSeatsOfStrataTooLargeToWalkAreTheBatchsSlots() {
        BatchPlanner planner = BatchPlanner.freeze(List.of(new BatchPlanner.StratumSize("eu-1", 0, 2_000_000_011L),
                new BatchPlanner.StratumSize("us-1", -5, 1_500_000_001L), new BatchPlanner.StratumSize("ap-1", 9, 7)),
                2_000, 6_000, 20_261_205L);
        FrozenPlan frozen = new FrozenPlan(UUID.randomUUID(), planner, "2", "1", List.of(),
                BatchPlans.counts(planner), "test", Instant.EPOCH, null);
        for (int b = 0; b < planner.batchCount(); b++) {
            RankOrder order = RankOrder.of(frozen, b);
            assertThat(order.isHeld()).isTrue();
            RankOrder.Seat[] seats = order.seats(0, 10_000);
            assertThat(seats).hasSize((int) planner.sizeOf(b)).doesNotHaveDuplicates();
            for (int i = 0; i < seats.length; i++) {
                RankOrder.Seat seat = seats[i];
                long slot = planner.strata().get(seat.stratum()).slotOf(seat.rank());
                assertThat(slot).isBetween(frozen.firstSlot(seat.stratum(), b), frozen.endSlot(seat.stratum(), b) - 1);
                assertThat(planner.batchOf(seat.stratum(), seat.rank())).isEqualTo(b);
                if (i > 0) {
                    assertThat(seat.rank()).isGreaterThanOrEqualTo(seats[i - 1].rank());
                }
            }
        }
    }
}
