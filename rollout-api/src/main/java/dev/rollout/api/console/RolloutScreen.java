package dev.rollout.api.console;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.rollout.cli.Figures;
import tools.jackson.databind.json.JsonMapper;

/**
 * A rollout's page as a person reads it, built from what the services answered: its four phases with their soak
 * against the plan, every batch's figures, the current batch's time zones, the last verdict with every measurement,
 * the transitions and rollbacks, and the actions the person's roles may take now. No Spring: tested on its own.
 */
record RolloutScreen(Summary summary, List<PhaseRow> phases, List<BatchRow> batches, Integer zonesOfBatch,
        List<ZoneCell> zones, Verdict verdict, List<Chart> charts, List<TimelineRow> timeline,
        List<RollbackRow> rollbacks, Actions actions) {

    /** The statuses that are one of the four phases, in order. */
    static final List<String> PHASES = List.of("DEVELOPMENT", "PILOT", "EXPANSION", "PRODUCTION");
    private static final Map<String, String> PHASE_NAMES = Map.of("DEVELOPMENT", "Development and testing",
            "PILOT", "Pilot deployment (44 pilots)", "EXPANSION", "Agent cluster expansion", "PRODUCTION",
            "Full production");

    enum Role { RELEASE_MANAGER, CI_PIPELINE, ON_CALL, VIEWER }

    record Summary(String id, String name, String targetVersion, String previousVersion, String components,
            String status, String where, String since, String reason, List<String> falseConditions, String lastVerdict) {
    }

    /** A phase: {@code state} done, current or pending; its soak against the plan's minimum and maximum. */
    record PhaseRow(int number, String phase, String name, String state, String entered, String soak, String minSoak,
            String maxSoak, String soakState, int soakPercent, int minPercent) {
    }

    /** A batch: its figures, and its gate's verdicts in order ("ROLLBACK (PARTIAL: memory) → PASS"). */
    record BatchRow(int number, String state, String agents, String acknowledged, String responseRate, String errorRate,
            String p95, String zones, String gate, boolean current, String rowClass) {
    }

    record ZoneCell(String zone, String agents, boolean heard) {
    }

    record MeasurementRow(String kpi, String components, String verdict, String value, String n, String interval,
            String threshold, String source, String reason) {
    }

    record Verdict(String verdict, String where, String scope, String at, List<String> reasons,
            List<MeasurementRow> measurements) {
    }

    /** A KPI over time for the chart: seconds since the epoch, values, and the limit drawn across. */
    record Chart(String title, boolean fraction, Double limit, Boolean atMost, List<Long> at, List<Double> values,
            String latest) {

        private static final JsonMapper JSON = JsonMapper.builder().build();

        /** What the page's script draws: times, values, the limit and whether values are fractions. */
        public String json() {
            return JSON.writeValueAsString(Map.of("at", at, "values", values, "fraction", fraction,
                    "limit", limit == null ? "" : limit, "atMost", atMost == null ? "" : atMost));
        }
    }

    record TimelineRow(String at, String actor, String command, String move, String batch, String reason,
            String evidence) {
    }

    record StepRow(String name, String status, int attempts, String started, String finished, String error) {
    }

    record RollbackRow(String id, String scope, String components, String status, String reason, String requestedBy,
            String requestedAt, String finishedAt, String flippedAfter, String error, List<StepRow> steps) {
    }

    /** An action the person may take now, with what it does, for the confirmation. */
    record Action(String name, String label, String effect, boolean needsReason) {
    }

    record Actions(List<Action> simple, boolean rollback, List<String> components, Action rollbackEffect,
            List<String> fixable, String previousVersion) {

        public boolean any() {
            return !simple.isEmpty() || rollback || !fixable.isEmpty();
        }
    }

    static RolloutScreen of(Reads.Rollout rollout, List<Reads.TimelineEntry> timeline, Reads.BatchPlan plan,
            Reads.Evaluation evaluation, List<Reads.EvaluationSummary> evaluations, List<Reads.Series> series,
            List<Reads.Rollback> rollbacks, Set<Role> roles, Instant now) {
        List<BatchRow> batches = new ArrayList<>();
        List<ZoneCell> zones = new ArrayList<>();
        Integer zonesOfBatch = null;
        if (plan != null) {
            Map<Integer, String> gates = gates(evaluations);
            for (Reads.Batch batch : plan.batches()) {
                batches.add(batchRow(rollout, batch, gates.getOrDefault(batch.number(), "-")));
            }
            Reads.Batch shown = currentBatch(rollout, plan);
            if (shown != null) {
                zonesOfBatch = shown.number();
                zones = zones(shown);
            }
        }
        return new RolloutScreen(summary(rollout, now), phases(rollout, timeline, now), batches, zonesOfBatch, zones,
                verdict(evaluation), charts(series), timeline(timeline), rollbacks(rollbacks),
                actions(rollout, plan, rollbacks, roles));
    }

    static Summary summary(Reads.Rollout r, Instant now) {
        String where = r.status() + ("PAUSED".equals(r.status()) ? " in " + r.phase() : "");
        boolean expanding = "EXPANSION".equals(r.status()) || "EXPANSION".equals(r.phase());
        if (expanding && r.batches() > 0) {
            where += ", batch " + r.batch() + " of " + r.batches();
        }
        if ("PAUSED".equals(r.status()) && r.pauseReason() != null) {
            where += " (" + r.pauseReason() + ")";
        }
        List<String> conditions = r.conditions() == null ? List.of() : r.conditions().stream().filter(c -> !c.status())
                .map(c -> c.type() + ": " + (c.message() != null ? c.message() : c.reason())).toList();
        String components = r.components().stream().map(c -> c.name() + " " + c.version())
                .collect(Collectors.joining(", "));
        return new Summary(r.id().toString(), r.name(), r.targetVersion(), r.previousStableVersion(), components,
                r.status(), where, time(r.statusSince()) + " (" + ago(r.statusSince(), now) + " ago)",
                r.statusReason(), conditions, lastVerdict(r.lastEvaluation()));
    }

    static String lastVerdict(Reads.LastEvaluation e) {
        if (e == null) {
            return "-";
        }
        return e.verdict() + " (" + e.phase() + (e.batch() == null ? "" : " batch " + e.batch())
                + (e.scope() == null ? "" : ", " + e.scope() + (e.components() == null || e.components().isEmpty() ? ""
                        : ": " + String.join(", ", e.components())))
                + ")";
    }

    /** The four phases: when each was entered, how long it soaked (so far) against the plan's minimum and maximum. */
    static List<PhaseRow> phases(Reads.Rollout rollout, List<Reads.TimelineEntry> timeline, Instant now) {
        Map<String, Instant> entered = new LinkedHashMap<>();
        Instant finished = null;
        for (Reads.TimelineEntry entry : timeline) {
            if (PHASES.contains(entry.to()) && !entry.to().equals(entry.from()) && !"PAUSED".equals(entry.from())
                    && !"PARTIALLY_ROLLED_BACK".equals(entry.from())) {
                entered.putIfAbsent(entry.to(), entry.at());
            }
            if (Set.of("COMPLETED", "ROLLED_BACK", "ABORTED").contains(entry.to())) {
                finished = entry.at();
            }
        }
        String current = PHASES.contains(rollout.status()) ? rollout.status() : rollout.phase();
        boolean over = Set.of("COMPLETED", "ROLLED_BACK", "ABORTED").contains(rollout.status());
        List<PhaseRow> rows = new ArrayList<>();
        for (int i = 0; i < PHASES.size(); i++) {
            String phase = PHASES.get(i);
            Instant start = entered.get(phase);
            Instant end = null;
            for (int j = i + 1; j < PHASES.size() && end == null; j++) {
                end = entered.get(PHASES.get(j));
            }
            String state;
            if (start == null) {
                state = "pending";
            }
            else if (!over && phase.equals(current)) {
                state = "current";
                start = rollout.phaseStartedAt() != null ? rollout.phaseStartedAt() : start;
                end = now;
            }
            else {
                state = "done";
                end = end != null ? end : finished != null ? finished : now;
            }
            Reads.PhasePlan plan = rollout.plan() == null || rollout.plan().phases() == null ? null
                    : rollout.plan().phases().get(phase);
            Duration min = plan == null ? null : plan.minSoak();
            Duration max = plan == null ? null : plan.maxSoak();
            Duration soak = start == null ? null : Duration.between(start, end);
            String soakState = soak == null ? ""
                    : max != null && soak.compareTo(max) > 0 ? "over its maximum"
                    : min != null && soak.compareTo(min) < 0 ? (state.equals("current") ? "below its minimum" : "left early (promoted)")
                    : "within plan";
            // the bar's scale: the maximum where there is one, else twice the minimum, else the soak itself
            Duration scale = max != null ? max : min != null ? min.multipliedBy(2) : soak;
            int soakPercent = soak == null || scale == null || scale.isZero() ? 0
                    : (int) Math.min(100, soak.toMillis() * 100 / Math.max(1, scale.toMillis()));
            int minPercent = min == null || scale == null || scale.isZero() ? 0
                    : (int) Math.min(100, min.toMillis() * 100 / Math.max(1, scale.toMillis()));
            rows.add(new PhaseRow(i + 1, phase, PHASE_NAMES.get(phase), state, time(start),
                    soak == null ? "-" : Figures.duration(soak), min == null ? "-" : Figures.duration(min),
                    max == null ? "none" : Figures.duration(max), soakState, soakPercent, minPercent));
        }
        return rows;
    }

    /**
     * Each batch's verdicts in the order they were given, a verdict repeated in a row said once: a batch rolled back
     * and passed after its fix reads "HOLD → ROLLBACK (PARTIAL: memory) → PASS".
     */
    static Map<Integer, String> gates(List<Reads.EvaluationSummary> evaluations) {
        Map<Integer, List<String>> verdicts = new TreeMap<>();
        List<Reads.EvaluationSummary> oldestFirst = new ArrayList<>(evaluations);
        oldestFirst.sort(Comparator.comparing(Reads.EvaluationSummary::evaluatedAt));
        for (Reads.EvaluationSummary e : oldestFirst) {
            if (!"EXPANSION".equals(e.phase()) || e.batch() == null) {
                continue;
            }
            String verdict = e.verdict() + (e.scope() == null ? "" : " (" + e.scope()
                    + (e.components() == null || e.components().isEmpty() ? "" : ": " + String.join(", ", e.components()))
                    + ")");
            List<String> batch = verdicts.computeIfAbsent(e.batch(), b -> new ArrayList<>());
            if (batch.isEmpty() || !batch.get(batch.size() - 1).equals(verdict)) {
                batch.add(verdict);
            }
        }
        Map<Integer, String> gates = new TreeMap<>();
        verdicts.forEach((batch, list) -> gates.put(batch, String.join(" → ", list)));
        return gates;
    }

    static BatchRow batchRow(Reads.Rollout rollout, Reads.Batch batch, String gate) {
        Reads.Health h = batch.health();
        boolean current = ("EXPANSION".equals(rollout.status()) || "EXPANSION".equals(rollout.phase())
                || "PARTIALLY_ROLLED_BACK".equals(rollout.status())) && batch.number() == rollout.batch();
        String state = batch.activation() == null ? "PENDING" : batch.activation().state();
        String rowClass = "batch-" + state.toLowerCase(Locale.ROOT) + (current ? " current" : "");
        if (h == null) {
            return new BatchRow(batch.number(), state, Figures.number(batch.composition().agents()), "-", "-", "-", "-",
                    "-", gate, current, rowClass);
        }
        return new BatchRow(batch.number(), state, Figures.number(batch.composition().agents()),
                Figures.number(h.acknowledged()) + " of " + Figures.number(h.activated()), Figures.percent(h.responseRate()),
                h.errorRate() == null ? "-" : Figures.percent(h.errorRate()),
                h.latencyP95Ms() == null ? "-" : Figures.number(h.latencyP95Ms()) + " ms",
                h.timeZonesHeardFrom() + " of " + h.timeZonesInBatch(), gate, current, rowClass);
    }

    /** The batch whose time zones the page shows: the current one in expansion, else the last one activated. */
    static Reads.Batch currentBatch(Reads.Rollout rollout, Reads.BatchPlan plan) {
        Reads.Batch last = null;
        for (Reads.Batch batch : plan.batches()) {
            if (batch.health() == null) {
                continue;
            }
            if (batch.number() == rollout.batch()) {
                return batch;
            }
            last = batch;
        }
        return last;
    }

    /** The batch's time zones (UTC-11 to UTC+12 in order), each heard from or silent so far. */
    static List<ZoneCell> zones(Reads.Batch batch) {
        Set<String> silent = Set.copyOf(batch.health().silentTimeZones() == null ? List.of() : batch.health().silentTimeZones());
        Map<Integer, ZoneCell> ordered = new TreeMap<>();
        batch.composition().byTimeZone().forEach((zone, agents) -> {
            if (agents > 0) {
                ordered.put(offset(zone), new ZoneCell(zone, Figures.number(agents), !silent.contains(zone)));
            }
        });
        return List.copyOf(ordered.values());
    }

    /** "UTC+5", "UTC-11", "UTC" as minutes east of UTC, for ordering; anything else last. */
    static int offset(String zone) {
        try {
            if (zone.equals("UTC")) {
                return 0;
            }
            String sign = zone.substring(3);
            String[] parts = sign.substring(1).split(":");
            int minutes = Integer.parseInt(parts[0]) * 60 + (parts.length > 1 ? Integer.parseInt(parts[1]) : 0);
            return sign.startsWith("-") ? -minutes : minutes;
        }
        catch (RuntimeException notAnOffset) {
            return Integer.MAX_VALUE;
        }
    }

    static Verdict verdict(Reads.Evaluation e) {
        if (e == null) {
            return null;
        }
        List<MeasurementRow> rows = new ArrayList<>();
        for (Reads.Measurement m : e.measurements() == null ? List.<Reads.Measurement>of() : e.measurements()) {
            String value = m.value() == null ? "-" : Figures.kpi(m.kpi(), m.value());
            String interval = m.confidenceLow() == null || m.confidenceHigh() == null ? "-"
                    : Figures.kpi(m.kpi(), m.confidenceLow()) + " to " + Figures.kpi(m.kpi(), m.confidenceHigh());
            rows.add(new MeasurementRow(m.kpi(), m.components() == null || m.components().isEmpty() ? "all"
                    : String.join(", ", m.components()), m.verdict(), value,
                    m.sampleSize() == null ? "-" : Figures.number(m.sampleSize()), interval,
                    m.threshold() == null ? "-" : m.threshold(), m.source(), m.reason()));
        }
        String where = e.phase() + (e.batch() == null ? "" : ", batch " + e.batch());
        String scope = e.scope() == null ? "" : e.scope() + (e.components() == null || e.components().isEmpty() ? ""
                : ": " + String.join(", ", e.components()));
        return new Verdict(e.verdict(), where, scope, time(e.evaluatedAt()), e.reasons(), rows);
    }

    /** The KPIs charted over time: the traffic and fleet KPIs a batch is judged on, in this order. */
    static final List<String> CHARTED = List.of("ERROR_RATE_TRIGGER", "AGENT_RESPONSE_RATE", "RESPONSE_TIME",
            "DEGRADATION_TRIGGER", "AVAILABILITY", "CRITICAL_ERROR_RATE", "ERROR_BUDGET");

    /** A chart per charted KPI, component set and source that has values. */
    static List<Chart> charts(List<Reads.Series> series) {
        return series.stream().filter(s -> CHARTED.contains(s.kpi()) && s.points() != null && !s.points().isEmpty())
                .sorted(Comparator.comparingInt((Reads.Series s) -> CHARTED.indexOf(s.kpi()))
                        .thenComparing(s -> String.join(",", s.components() == null ? List.of() : s.components())))
                .map(s -> {
                    Reads.Point latest = s.points().get(s.points().size() - 1);
                    String title = s.kpi() + (s.components() == null || s.components().isEmpty() ? ""
                            : " (" + String.join(", ", s.components()) + ")") + " · " + s.source();
                    return new Chart(title, Figures.FRACTION_KPIS.contains(s.kpi()), s.limit(), s.atMost(),
                            s.points().stream().map(p -> p.at().getEpochSecond()).toList(),
                            s.points().stream().map(Reads.Point::value).toList(),
                            Figures.kpi(s.kpi(), latest.value()) + " " + latest.verdict() + ", limit " + s.threshold());
                })
                .toList();
    }

    static List<TimelineRow> timeline(List<Reads.TimelineEntry> entries) {
        List<TimelineRow> rows = new ArrayList<>();
        for (int i = entries.size() - 1; i >= 0; i--) {
            Reads.TimelineEntry e = entries.get(i);
            rows.add(new TimelineRow(time(e.at()), e.actor(), e.command(),
                    e.from() == null || e.from().equals(e.to()) ? e.to() : e.from() + " → " + e.to(),
                    e.batch() > 0 ? String.valueOf(e.batch()) : "", e.reason(), e.evidence()));
        }
        return rows;
    }

    static List<RollbackRow> rollbacks(List<Reads.Rollback> rollbacks) {
        return rollbacks.stream().map(r -> new RollbackRow(r.id().toString(), r.scope(),
                r.components() == null || r.components().isEmpty() ? "every component" : String.join(", ", r.components()),
                r.status(), r.reason(), r.requestedBy(), time(r.requestedAt()), time(r.finishedAt()),
                r.flippedAfterMs() == null ? "-" : Figures.number(r.flippedAfterMs()) + " ms", r.error(),
                r.steps() == null ? List.of() : r.steps().stream().map(s -> new StepRow(s.name(), s.status(), s.attempts(),
                        time(s.startedAt()), time(s.finishedAt()), s.error())).toList()))
                .toList();
    }

    /** What the person's roles allow in the rollout's state; the services refuse anything else regardless. */
    static Actions actions(Reads.Rollout r, Reads.BatchPlan plan, List<Reads.Rollback> rollbacks, Set<Role> roles) {
        boolean manager = roles.contains(Role.RELEASE_MANAGER);
        boolean onCall = roles.contains(Role.ON_CALL);
        String status = r.status();
        boolean inPhase = PHASES.contains(status);
        String phase = inPhase ? status : r.phase();
        String where = phase + ("EXPANSION".equals(phase) && r.batches() > 0 ? " (batch " + r.batch() + " of " + r.batches() + ")" : "");
        List<Action> simple = new ArrayList<>();
        if (manager) {
            if ("DRAFT".equals(status)) {
                simple.add(new Action("start", "Start", "Start the rollout: Phase 1 (development and testing) begins and"
                        + " its gate reads the build's evidence.", false));
            }
            boolean approvalAsked = inPhase && r.plan() != null && r.plan().phases() != null
                    && r.plan().phases().get(status) != null && Boolean.TRUE.equals(r.plan().phases().get(status).approval());
            if (approvalAsked && !r.approved()) {
                simple.add(new Action("approve", "Approve", "Approve leaving " + where + ": the rollout moves on once"
                        + " its gate passes and its minimum soak has elapsed.", false));
            }
            if ((inPhase || "PAUSED".equals(status)) && !r.promoted()) {
                simple.add(new Action("promote", "Promote", "Skip the rest of " + where + "'s soak"
                        + ("EXPANSION".equals(phase) ? " and the batch's observation window" : "")
                        + ": it moves on at the next gate that passes (the gate still decides).", true));
            }
            if (inPhase) {
                simple.add(new Action("pause", "Pause", "Pause in " + where + ": no batch is activated and no phase"
                        + " entered until it is resumed. Agents keep the version they run now.", true));
            }
            if ("PAUSED".equals(status)) {
                simple.add(new Action("resume", "Resume", "Resume in " + where + ": the gate decides again and the"
                        + " rollout goes on where it paused.", true));
            }
            if (inPhase || Set.of("PAUSED", "PARTIALLY_ROLLED_BACK", "DRAFT").contains(status)) {
                simple.add(new Action("abort", "Abort", "Abort the rollout for good where it stands. Agents keep the"
                        + " version they run: roll back to revert them.", true));
            }
        }
        EnumSet<Role> mayRollBack = EnumSet.of(Role.RELEASE_MANAGER, Role.ON_CALL);
        boolean rollback = roles.stream().anyMatch(mayRollBack::contains)
                && (Set.of("PILOT", "EXPANSION", "PRODUCTION", "PARTIALLY_ROLLED_BACK", "ABORTED").contains(status)
                        || ("PAUSED".equals(status) && !"DEVELOPMENT".equals(r.phase())));
        List<String> components = r.components().stream().map(Reads.Component::name).toList();
        Action rollbackEffect = new Action("rollback", "Roll back", "Every agent activated so far is told at once to"
                + " run the previous version of what you pick (" + r.previousStableVersion() + " for the whole version);"
                + " they revert at their next poll. The rollout stops while it runs.", true);
        List<String> fixable = List.of();
        if ((manager || onCall) && "PARTIALLY_ROLLED_BACK".equals(status)) {
            fixable = plan != null && plan.pinnedComponents() != null && !plan.pinnedComponents().isEmpty()
                    ? List.copyOf(plan.pinnedComponents().keySet())
                    : rollbacks.stream().filter(b -> "PARTIAL".equals(b.scope())).flatMap(b -> b.components().stream())
                            .distinct().toList();
        }
        return new Actions(simple, rollback, components, rollbackEffect, fixable, r.previousStableVersion());
    }

    static String time(Instant instant) {
        return instant == null ? "-" : Figures.time(instant.toString());
    }

    static String ago(Instant instant, Instant now) {
        return instant == null ? "-" : Figures.duration(Duration.between(instant, now));
    }
}
