package dev.rollout.phaseengine.rollout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.rollout.starter.web.ProblemException;

/**
 * How a rollout moves: per phase, the minimum and maximum soak and whether leaving it needs a manual
 * approval; the batch size and fleet cap of the expansion, the observation window after each batch, and
 * the KPI overrides handed to the gate. Defaults are the rollout plan's: Phase 2 one to two weeks, Phase 3
 * two to four, Phase 4 one to two, Phase 1 until its evidence passes; batches of 1,000,000 up to
 * 20,000,000 agents.
 */
public record RolloutPlan(Map<RolloutStatus, PhasePlan> phases, Long batchSize, Long fleetCap,
        Duration observationWindow, Map<String, Double> kpiOverrides, Map<String, List<String>> userTypes,
        List<Safeguard> safeguards) {

    /** A safeguard a root-cause record of the previous attempt put into this plan, with what it changed. */
    public record Safeguard(UUID rootCauseId, UUID previousAttempt, String summary, List<String> changes) {
    }

    /** What a root-cause record asks of the next attempt (each field optional). */
    public record Requested(Long batchSize, Duration observationWindow, Map<String, Double> kpiOverrides) {
    }

    /** One phase: soak between {@code minSoak} and {@code maxSoak} (null: no maximum), approval to leave. */
    public record PhasePlan(Duration minSoak, Duration maxSoak, Boolean approval) {
    }

    private static final String NAME = "[a-z0-9][a-z0-9-]{0,99}";

    public RolloutPlan {
        kpiOverrides = kpiOverrides == null ? Map.of() : kpiOverrides;
        userTypes = userTypes == null ? Map.of() : userTypes;
        safeguards = safeguards == null ? List.of() : safeguards;
    }

    public static RolloutPlan defaults() {
        Map<RolloutStatus, PhasePlan> phases = new EnumMap<>(RolloutStatus.class);
        phases.put(RolloutStatus.DEVELOPMENT, new PhasePlan(Duration.ZERO, null, false));
        phases.put(RolloutStatus.PILOT, new PhasePlan(Duration.ofDays(7), Duration.ofDays(14), true));
        phases.put(RolloutStatus.EXPANSION, new PhasePlan(Duration.ofDays(14), Duration.ofDays(28), false));
        phases.put(RolloutStatus.PRODUCTION, new PhasePlan(Duration.ofDays(7), Duration.ofDays(14), true));
        return new RolloutPlan(phases, 1_000_000L, 20_000_000L, Duration.ofHours(6), Map.of(), Map.of(), List.of());
    }

    /**
     * This plan's values over the defaults, field by field, validated: a minimum above its maximum, a
     * negative time, a batch size of 0 or above the cap is a 422 that names every problem.
     */
    public static RolloutPlan of(RolloutPlan requested) {
        RolloutPlan defaults = defaults();
        if (requested == null) {
            return defaults;
        }
        if (requested.safeguards() != null && !requested.safeguards().isEmpty()) {
            throw ProblemException.badRequest("plan.safeguards come from the previous attempt's root-cause records "
                    + "(set previousAttempt); they cannot be given");
        }
        Map<RolloutStatus, PhasePlan> phases = new EnumMap<>(defaults.phases());
        List<String> problems = new ArrayList<>();
        if (requested.phases() != null) {
            requested.phases().forEach((phase, plan) -> {
                if (!phase.isPhase()) {
                    problems.add("phases." + phase + " is not a phase (DEVELOPMENT, PILOT, EXPANSION, PRODUCTION)");
                    return;
                }
                PhasePlan base = defaults.phases().get(phase);
                phases.put(phase, new PhasePlan(plan.minSoak() != null ? plan.minSoak() : base.minSoak(),
                        plan.maxSoak() != null ? plan.maxSoak() : base.maxSoak(),
                        plan.approval() != null ? plan.approval() : base.approval()));
            });
        }
        phases.forEach((phase, plan) -> {
            if (plan.minSoak().isNegative()) {
                problems.add("phases." + phase + ".minSoak " + plan.minSoak() + " is negative");
            }
            if (plan.maxSoak() != null && plan.maxSoak().compareTo(plan.minSoak()) < 0) {
                problems.add("phases." + phase + ".minSoak " + plan.minSoak() + " is above its maxSoak " + plan.maxSoak());
            }
        });
        long batchSize = requested.batchSize() != null ? requested.batchSize() : defaults.batchSize();
        long fleetCap = requested.fleetCap() != null ? requested.fleetCap() : defaults.fleetCap();
        if (batchSize < 1) {
            problems.add("batchSize " + batchSize + " must be at least 1");
        }
        if (fleetCap < 1) {
            problems.add("fleetCap " + fleetCap + " must be at least 1");
        }
        if (batchSize > fleetCap) {
            problems.add("batchSize " + batchSize + " is above the fleet cap " + fleetCap);
        }
        Duration window = requested.observationWindow() != null ? requested.observationWindow() : defaults.observationWindow();
        if (window.isNegative() || window.isZero()) {
            problems.add("observationWindow " + window + " must be positive");
        }
        Map<String, List<String>> userTypes = requested.userTypes() == null ? Map.of() : requested.userTypes();
        userTypes.forEach((type, features) -> {
            if (type == null || !type.matches(NAME)) {
                problems.add("userTypes: '" + type + "' is not a user type name (lower-case letters, digits, dashes)");
            }
            if (features == null || features.isEmpty()) {
                problems.add("userTypes." + type + " names no feature");
            }
            else {
                features.stream().filter(f -> f == null || !f.matches(NAME))
                        .forEach(f -> problems.add("userTypes." + type + ": '" + f + "' is not a feature name"));
            }
        });
        if (!problems.isEmpty()) {
            throw ProblemException.unprocessable("The rollout plan is not valid: " + String.join("; ", problems))
                    .with("violations", problems);
        }
        return new RolloutPlan(phases, batchSize, fleetCap, window, requested.kpiOverrides() == null ? Map.of()
                : new LinkedHashMap<>(requested.kpiOverrides()), new TreeMap<>(userTypes), List.of());
    }

    /**
     * This plan with a root-cause record's safeguards: the smaller batch size, the longer observation window,
     * the KPI overrides of the record over this plan's; each change listed in the plan's safeguards.
     */
    public RolloutPlan withSafeguards(UUID rootCauseId, UUID previousAttempt, String summary,
            Requested requested) {
        List<String> changes = new ArrayList<>();
        long size = batchSize;
        if (requested.batchSize() != null && requested.batchSize() < batchSize) {
            changes.add("batchSize " + batchSize + " -> " + requested.batchSize());
            size = requested.batchSize();
        }
        Duration window = observationWindow;
        if (requested.observationWindow() != null && requested.observationWindow().compareTo(observationWindow) > 0) {
            changes.add("observationWindow " + observationWindow + " -> " + requested.observationWindow());
            window = requested.observationWindow();
        }
        Map<String, Double> overrides = new LinkedHashMap<>(kpiOverrides == null ? Map.of() : kpiOverrides);
        if (requested.kpiOverrides() != null) {
            requested.kpiOverrides().forEach((name, value) -> {
                if (!value.equals(overrides.get(name))) {
                    changes.add("kpi " + name + " " + (overrides.containsKey(name) ? overrides.get(name) : "default") + " -> "
                            + value);
                    overrides.put(name, value);
                }
            });
        }
        List<Safeguard> all = new ArrayList<>(safeguards == null ? List.of() : safeguards);
        all.add(new Safeguard(rootCauseId, previousAttempt, summary, changes));
        return new RolloutPlan(phases, size, fleetCap, window, overrides, userTypes, all);
    }
}
