package dev.rollout.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.rollout.api.console.RolloutScreen.Role;
import org.junit.jupiter.api.Test;

/** A rollout's page as built from the services' answers: phases, batches, time zones, verdict, actions by role. */
class RolloutScreenTest {

    static final Instant T0 = Instant.parse("2026-12-06T00:00:00Z");

    static Reads.Rollout rollout(String status, String phase, int batch, boolean approved) {
        Map<String, Reads.PhasePlan> phases = Map.of(
                "DEVELOPMENT", new Reads.PhasePlan(Duration.ZERO, null, false),
                "PILOT", new Reads.PhasePlan(Duration.ofHours(2), Duration.ofDays(14), true),
                "EXPANSION", new Reads.PhasePlan(Duration.ofHours(12), Duration.ofDays(60), false),
                "PRODUCTION", new Reads.PhasePlan(Duration.ofHours(2), Duration.ofDays(14), true));
        return new Reads.Rollout(UUID.fromString("5b3f1c9e-8f7a-4e0b-9a51-2c1d6e7f8a90"), "assistant 2.4", "2.4.0",
                "2.3.1", List.of(new Reads.Component("planner", "2.4.0"), new Reads.Component("memory", "1.9.0")),
                status, phase, batch, 20, "reason", T0.plus(Duration.ofHours(9)), null,
                T0.plus(Duration.ofHours(8)), null, approved, false, List.of(), null,
                new Reads.Plan(phases, 1_000_000L, 20_000_000L, Duration.ofHours(6)), "ci", T0);
    }

    static List<Reads.TimelineEntry> timeline() {
        return List.of(
                new Reads.TimelineEntry(T0, "ci", "START", "DRAFT", "DEVELOPMENT", 0, "build passed", null),
                new Reads.TimelineEntry(T0.plus(Duration.ofHours(1)), "reconciler", "ADVANCE", "DEVELOPMENT", "PILOT", 0,
                        "Gate PASS", "/api/evaluations/1"),
                new Reads.TimelineEntry(T0.plus(Duration.ofHours(2)), "release-manager", "PAUSE", "PILOT", "PAUSED", 0,
                        "lunch", null),
                new Reads.TimelineEntry(T0.plus(Duration.ofHours(3)), "release-manager", "RESUME", "PAUSED", "PILOT", 0,
                        "back", null),
                new Reads.TimelineEntry(T0.plus(Duration.ofHours(8)), "reconciler", "ADVANCE", "PILOT", "EXPANSION", 0,
                        "Gate PASS", "/api/evaluations/2"));
    }

    @Test
    void eachPhaseSoaksAgainstItsPlanAndAResumeIsNotAnEntry() {
        List<RolloutScreen.PhaseRow> phases = RolloutScreen.phases(rollout("EXPANSION", "EXPANSION", 3, false), timeline(),
                T0.plus(Duration.ofHours(14)));
        assertThat(phases).extracting(RolloutScreen.PhaseRow::state).containsExactly("done", "done", "current", "pending");
        assertThat(phases.get(0).soak()).isEqualTo("1 h");
        assertThat(phases.get(1).entered()).isEqualTo("2026-12-06 01:00 UTC");
        assertThat(phases.get(1).soak()).as("entered at 01:00, not at the resume").isEqualTo("7 h");
        assertThat(phases.get(1).soakState()).isEqualTo("within plan");
        assertThat(phases.get(2).soak()).as("from the phase's start until now").isEqualTo("6 h");
        assertThat(phases.get(2).soakState()).isEqualTo("below its minimum");
        assertThat(phases.get(2).minSoak()).isEqualTo("12 h");
        assertThat(phases.get(2).maxSoak()).isEqualTo("60 d");
        assertThat(phases.get(3).soak()).isEqualTo("-");

        List<RolloutScreen.PhaseRow> late = RolloutScreen.phases(rollout("EXPANSION", "EXPANSION", 3, false), timeline(),
                T0.plus(Duration.ofDays(70)));
        assertThat(late.get(2).soakState()).isEqualTo("over its maximum");
        assertThat(late.get(2).soakPercent()).isEqualTo(100);
    }

    @Test
    void aPersonSeesOnlyTheActionsTheirRolesAllowInTheRolloutsState() {
        Reads.Rollout expanding = rollout("EXPANSION", "EXPANSION", 3, false);
        RolloutScreen.Actions manager = RolloutScreen.actions(expanding, null, List.of(), EnumSet.of(Role.RELEASE_MANAGER));
        assertThat(manager.simple()).extracting(RolloutScreen.Action::name).containsExactly("promote", "pause", "abort");
        assertThat(manager.rollback()).isTrue();
        assertThat(manager.simple().get(1).effect()).startsWith("Pause in EXPANSION (batch 3 of 20)");

        RolloutScreen.Actions onCall = RolloutScreen.actions(expanding, null, List.of(), EnumSet.of(Role.ON_CALL));
        assertThat(onCall.simple()).isEmpty();
        assertThat(onCall.rollback()).isTrue();
        assertThat(onCall.components()).containsExactly("planner", "memory");

        for (Role role : List.of(Role.VIEWER, Role.CI_PIPELINE)) {
            assertThat(RolloutScreen.actions(expanding, null, List.of(), Set.of(role)).any()).as(role.name()).isFalse();
        }

        RolloutScreen.Actions pilot = RolloutScreen.actions(rollout("PILOT", "PILOT", 0, false), null, List.of(),
                EnumSet.of(Role.RELEASE_MANAGER));
        assertThat(pilot.simple()).extracting(RolloutScreen.Action::name).startsWith("approve");
        assertThat(RolloutScreen.actions(rollout("PILOT", "PILOT", 0, true), null, List.of(), EnumSet.of(Role.RELEASE_MANAGER))
                .simple()).extracting(RolloutScreen.Action::name).doesNotContain("approve");

        RolloutScreen.Actions paused = RolloutScreen.actions(rollout("PAUSED", "EXPANSION", 3, false), null, List.of(),
                EnumSet.of(Role.RELEASE_MANAGER));
        assertThat(paused.simple()).extracting(RolloutScreen.Action::name).contains("resume").doesNotContain("pause");

        Reads.BatchPlan pinned = new Reads.BatchPlan(20, 1, 20, false, Map.of("memory", "1.8.2"), List.of());
        RolloutScreen.Actions partial = RolloutScreen.actions(rollout("PARTIALLY_ROLLED_BACK", "EXPANSION", 3, false), pinned,
                List.of(), EnumSet.of(Role.ON_CALL));
        assertThat(partial.fixable()).containsExactly("memory");
        assertThat(partial.rollback()).isTrue();

        for (String over : List.of("COMPLETED", "ROLLED_BACK", "ROLLING_BACK")) {
            assertThat(RolloutScreen.actions(rollout(over, "EXPANSION", 20, false), null, List.of(),
                    EnumSet.of(Role.RELEASE_MANAGER, Role.ON_CALL)).any()).as(over).isFalse();
        }
    }

    @Test
    void theBatchGridAndTimeZonesReadAsPeopleReadThem() {
        Reads.Health health = new Reads.Health(1_000_000, 999_400, 0.9994, 52_000_000, 520, 0.00001, 41.2, 57.0, 23, 24,
                List.of("UTC+5"));
        Map<String, Long> zones = new LinkedHashMap<>();
        zones.put("UTC+12", 40_000L);
        zones.put("UTC-11", 40_000L);
        zones.put("UTC+5", 40_000L);
        zones.put("UTC+0", 40_000L);
        zones.put("UTC-3", 40_000L);
        Reads.Batch third = new Reads.Batch(3, 20, new Reads.Composition(1_000_000, zones, 24),
                new Reads.Activation("ACTIVE", T0, "reconciler", null, null), health);
        Reads.Batch fourth = new Reads.Batch(4, 20, new Reads.Composition(1_000_000, zones, 24),
                new Reads.Activation("PENDING", null, null, null, null), null);
        Reads.Rollout rollout = rollout("EXPANSION", "EXPANSION", 3, false);

        RolloutScreen.BatchRow row = RolloutScreen.batchRow(rollout, third, "PASS");
        assertThat(row.current()).isTrue();
        assertThat(row.acknowledged()).isEqualTo("999,400 of 1,000,000");
        assertThat(row.responseRate()).isEqualTo("99.94%");
        assertThat(row.errorRate()).isEqualTo("0.001%");
        assertThat(row.p95()).isEqualTo("57 ms");
        assertThat(row.zones()).isEqualTo("23 of 24");
        assertThat(RolloutScreen.batchRow(rollout, fourth, "-").responseRate()).isEqualTo("-");

        assertThat(RolloutScreen.zones(third)).extracting(RolloutScreen.ZoneCell::zone)
                .containsExactly("UTC-11", "UTC-3", "UTC+0", "UTC+5", "UTC+12");
        assertThat(RolloutScreen.zones(third)).filteredOn(z -> !z.heard()).extracting(RolloutScreen.ZoneCell::zone)
                .containsExactly("UTC+5");
        Reads.BatchPlan plan = new Reads.BatchPlan(20_000_000, 1_000_000, 20, false, Map.of(), List.of(third, fourth));
        assertThat(RolloutScreen.currentBatch(rollout, plan)).isSameAs(third);
    }

    @Test
    void aBatchsGateReadsItsVerdictsInOrderEachRepeatSaidOnce() {
        List<Reads.EvaluationSummary> newestFirst = List.of(
                summary(50, "EXPANSION", 3, "PASS", null),
                summary(40, "EXPANSION", 3, "PASS", null),
                summary(30, "EXPANSION", 3, "ROLLBACK", "PARTIAL"),
                summary(20, "EXPANSION", 3, "HOLD", null),
                summary(15, "EXPANSION", 2, "PASS", null),
                summary(10, "PILOT", null, "PASS", null));
        assertThat(RolloutScreen.gates(newestFirst)).containsExactly(Map.entry(2, "PASS"),
                Map.entry(3, "HOLD → ROLLBACK (PARTIAL: memory) → PASS"));
    }

    static Reads.EvaluationSummary summary(int minute, String phase, Integer batch, String verdict, String scope) {
        return new Reads.EvaluationSummary(UUID.randomUUID(), phase, batch, verdict, scope,
                scope == null ? List.of() : List.of("memory"), T0.plusSeconds(60L * minute));
    }

    @Test
    void theVerdictListsEveryMeasurementWithItsUnitAndTheChartsTheTrafficKpis() {
        Reads.Evaluation evaluation = new Reads.Evaluation(UUID.randomUUID(), "EXPANSION", 3, "ROLLBACK", "PARTIAL",
                List.of("memory"), List.of("ERROR_RATE_TRIGGER: 1.5% above 1% for memory"), List.of(
                        new Reads.Measurement("ERROR_RATE_TRIGGER", true, "pushed samples", 0.015, 50_000L, "<= 1%", 0.0139,
                                0.0161, "FAIL", "error rate = 1.5%", List.of("memory")),
                        new Reads.Measurement("RESPONSE_TIME", false, "pushed samples", 120.0, 100_000L, "< 200 ms", null,
                                null, "PASS", "fine", List.of()),
                        new Reads.Measurement("TESTS", false, "junit", 6.0, 6L, "all tests pass", null, null, "PASS", "",
                                List.of())),
                "reconciler", T0);
        RolloutScreen.Verdict verdict = RolloutScreen.verdict(evaluation);
        assertThat(verdict.where()).isEqualTo("EXPANSION, batch 3");
        assertThat(verdict.scope()).isEqualTo("PARTIAL: memory");
        assertThat(verdict.measurements().get(0).value()).isEqualTo("1.5%");
        assertThat(verdict.measurements().get(0).interval()).isEqualTo("1.39% to 1.61%");
        assertThat(verdict.measurements().get(0).components()).isEqualTo("memory");
        assertThat(verdict.measurements().get(1).value()).isEqualTo("120 ms");
        assertThat(verdict.measurements().get(2).value()).as("a count of tests, not a share").isEqualTo("6");

        List<Reads.Series> series = List.of(
                new Reads.Series("TESTS", List.of(), "junit", "all tests pass", null, null,
                        List.of(new Reads.Point(T0, "DEVELOPMENT", null, 6.0, null, null, "PASS"))),
                new Reads.Series("ERROR_RATE_TRIGGER", List.of("memory"), "pushed samples", "<= 1%", 0.01, true,
                        List.of(new Reads.Point(T0, "EXPANSION", 2, 0.0001, null, null, "PASS"),
                                new Reads.Point(T0.plusSeconds(60), "EXPANSION", 3, 0.015, null, null, "FAIL"))),
                new Reads.Series("AGENT_RESPONSE_RATE", List.of(), "cluster-batcher", ">= 98.5%", 0.985, false,
                        List.of(new Reads.Point(T0, "EXPANSION", 3, 0.9994, null, null, "PASS"))));
        List<RolloutScreen.Chart> charts = RolloutScreen.charts(series);
        assertThat(charts).extracting(RolloutScreen.Chart::title).containsExactly(
                "ERROR_RATE_TRIGGER (memory) · pushed samples", "AGENT_RESPONSE_RATE · cluster-batcher");
        assertThat(charts.get(0).latest()).isEqualTo("1.5% FAIL, limit <= 1%");
        assertThat(charts.get(0).json()).contains("\"limit\":0.01").contains("\"values\":[1.0E-4,0.015]")
                .contains("\"fraction\":true");
    }
}
