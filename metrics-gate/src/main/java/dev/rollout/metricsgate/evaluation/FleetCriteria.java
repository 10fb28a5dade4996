package dev.rollout.metricsgate.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.rollout.metricsgate.client.ClusterBatcherClient.Batch;
import dev.rollout.metricsgate.client.ClusterBatcherClient.Health;
import dev.rollout.metricsgate.client.PilotServiceClient.Summary;
import dev.rollout.metricsgate.client.PilotServiceClient;
import dev.rollout.metricsgate.policy.KpiPolicy;
import dev.rollout.metricsgate.policy.Threshold;
import dev.rollout.metricsgate.provider.Incidents;
import dev.rollout.starter.client.Read;

/** KPIs read from cluster-batcher (a batch's health, the error budget) and pilot-service, and incidents. */
final class FleetCriteria {

    private FleetCriteria() {
    }

    /** A batch: agent response rate, agent-reported error rate (trigger), latency, time zones, integrity. */
    static List<Measurement> batch(Read<Batch> read, int number, KpiPolicy policy) {
        String source = "cluster-batcher batch " + number + " health";
        String query = "GET /api/rollouts/{id}/batches/" + number;
        if (!read.ok()) {
            return List.of(error(Kpi.AGENT_RESPONSE_RATE, source, query, read.problem()),
                    error(Kpi.ERROR_RATE_TRIGGER, source, query, read.problem()),
                    error(Kpi.TIME_ZONES, source, query, read.problem()),
                    error(Kpi.DATA_INTEGRITY, source, query, read.problem()));
        }
        Batch batch = read.body();
        Health health = batch.health();
        double confidence = policy.get(Threshold.CONFIDENCE);
        long minSamples = (long) policy.get(Threshold.MIN_SAMPLES);
        List<Measurement> out = new ArrayList<>();
        if (!batch.active() || health == null) {
            String state = batch.activation() == null || batch.activation().state() == null ? "unknown"
                    : batch.activation().state().name();
            return List.of(Measurement.inconclusive(Kpi.AGENT_RESPONSE_RATE, source, query, ">= "
                    + Criteria.pct(policy.get(Threshold.AGENT_RESPONSE_RATE_MIN)), "batch " + number + " is " + state
                            + ", not active"));
        }
        long activated = health.activated();
        long acknowledged = health.acknowledged();
        out.add(Criteria.rateAtLeast(Kpi.AGENT_RESPONSE_RATE, source, query + " acknowledged / activated",
                activated == 0 ? null : acknowledged, activated == 0 ? null : activated,
                policy.get(Threshold.AGENT_RESPONSE_RATE_MIN), confidence, 1, List.of()));
        long requests = health.requests();
        long errors = health.errors();
        out.add(Criteria.rateAtMost(Kpi.ERROR_RATE_TRIGGER, source, query + " errors / requests reported by the agents",
                requests == 0 ? null : errors, requests == 0 ? null : requests, policy.get(Threshold.ERROR_RATE_ROLLBACK),
                confidence, minSamples, List.of()));
        out.add(Criteria.valueBelow(Kpi.RESPONSE_TIME, source, query + " p95 of the agents' reported latency",
                health.latencyP95Ms(), acknowledged, policy.get(Threshold.RESPONSE_TIME_MAX_MS), 1, " ms"));
        int heard = health.timeZonesHeardFrom();
        int inBatch = health.timeZonesInBatch();
        List<String> silent = health.silentTimeZones() == null ? List.of() : health.silentTimeZones();
        out.add(new Measurement(Kpi.TIME_ZONES, false, source, query + " time zones heard from", (double) heard,
                (long) inBatch, "all " + inBatch + " time zones of the batch", null, null,
                acknowledged == 0 ? Verdict.INCONCLUSIVE : heard >= inBatch ? Verdict.PASS : Verdict.FAIL,
                acknowledged == 0 ? "no agent has answered yet" : "heard from " + heard + " of " + inBatch + " time zones"
                        + (silent.isEmpty() ? "" : "; silent: " + String.join(", ", silent)), List.of(),
                Map.of("silent", silent)));
        long outside = health.integrity() == null ? 0 : health.integrity().outsideActivatedSet();
        long other = health.integrity() == null ? 0 : health.integrity().otherVersion();
        out.add(new Measurement(Kpi.DATA_INTEGRITY, false, source, query + " integrity", (double) (outside + other),
                acknowledged, "no acknowledgement from outside the activated set or for another version", null, null,
                outside + other == 0 ? Verdict.PASS : Verdict.FAIL, outside + other == 0 ? "every acknowledgement fits"
                        : outside + " acknowledgements from agents outside the activated set, " + other
                                + " for another version", List.of(), Map.of("outsideActivatedSet", outside, "otherVersion", other)));
        return out;
    }

    /** The error budget across every active batch: a slow drift no single batch shows still stops the rollout. */
    static Measurement errorBudget(List<Read<Batch>> batches, KpiPolicy policy) {
        String source = "cluster-batcher, every active batch";
        long requests = 0;
        long errors = 0;
        for (Read<Batch> read : batches) {
            if (!read.ok()) {
                return error(Kpi.ERROR_BUDGET, source, "GET /api/rollouts/{id}/batches/{n}", read.problem());
            }
            Health health = read.body().health();
            requests += health == null ? 0 : health.requests();
            errors += health == null ? 0 : health.errors();
        }
        return Criteria.rateAtMost(Kpi.ERROR_BUDGET, source, "sum of errors / sum of requests over " + batches.size()
                + " active batches", requests == 0 ? null : errors, requests == 0 ? null : requests,
                policy.get(Threshold.ERROR_BUDGET), policy.get(Threshold.CONFIDENCE), (long) policy.get(Threshold.MIN_SAMPLES),
                List.of());
    }

    /** Phase 2 and 4 figures of pilot-service: satisfaction, instability (trigger), onboarding, checks, support. */
    static List<Measurement> pilots(Read<Summary> read, Phase phase, KpiPolicy policy) {
        String source = "pilot-service summary";
        String query = "GET /api/rollouts/{id}/feedback/summary";
        if (!read.ok()) {
            List<Measurement> errors = new ArrayList<>(List.of(error(Kpi.SATISFACTION, source, query, read.problem()),
                    error(Kpi.INSTABILITY_TRIGGER, source, query, read.problem())));
            if (phase == Phase.PILOT) {
                errors.add(error(Kpi.ONBOARDING, source, query, read.problem()));
                errors.add(error(Kpi.HEALTH_CHECKS, source, query, read.problem()));
            }
            else {
                errors.add(error(Kpi.SUPPORT_VOLUME, source, query, read.problem()));
            }
            return errors;
        }
        Summary s = read.body();
        List<Measurement> out = new ArrayList<>();
        Map<String, Long> distribution = s.satisfaction() == null || s.satisfaction().distribution() == null ? Map.of()
                : s.satisfaction().distribution();
        long count = 0;
        double sum = 0;
        double squares = 0;
        for (int r = 1; r <= 5; r++) {
            long n = distribution.getOrDefault(String.valueOf(r), 0L);
            count += n;
            sum += (double) r * n;
            squares += (double) r * r * n;
        }
        out.add(Criteria.meanAbove(Kpi.SATISFACTION, source, query + " ratings 1-5", count, sum, squares,
                policy.get(Threshold.SATISFACTION_MIN), policy.get(Threshold.CONFIDENCE), (long) policy.get(Threshold.MIN_FEEDBACK)));
        List<String> components = new ArrayList<>();
        long negative = 0;
        for (PilotServiceClient.Report report : s.instability() == null || s.instability().latest() == null ? List
                .<PilotServiceClient.Report>of() : s.instability().latest()) {
            if (report.rating() <= 2) {
                negative++;
                if (report.component() != null) {
                    components.add(report.component());
                }
            }
        }
        boolean confined = negative > 0 && components.size() == negative;
        long max = (long) policy.get(Threshold.INSTABILITY_REPORTS_MAX);
        out.add(new Measurement(Kpi.INSTABILITY_TRIGGER, true, source, query + " instability reports rated 1 or 2",
                (double) negative, count, "<= " + max + " negative reports of instability", null, null,
                negative > max ? Verdict.FAIL : Verdict.PASS, negative + " negative reports of instability"
                        + (components.isEmpty() ? "" : " on " + String.join(", ", components.stream().distinct().toList())),
                confined ? components.stream().distinct().toList() : List.of(), Map.of("reports", negative)));
        if (phase == Phase.PILOT) {
            int pilots = s.onboarding() == null ? 0 : s.onboarding().pilots();
            int onboarded = s.onboarding() == null ? 0 : s.onboarding().onboarded();
            double min = policy.get(Threshold.ONBOARDING_MIN);
            out.add(new Measurement(Kpi.ONBOARDING, false, source, query + " onboarding", pilots == 0 ? null
                    : (double) onboarded / pilots, (long) pilots, ">= " + Criteria.pct(min) + " of pilots onboarded", null,
                    null, pilots == 0 ? Verdict.INCONCLUSIVE : (double) onboarded / pilots >= min ? Verdict.PASS : Verdict.FAIL,
                    pilots == 0 ? "the roster is empty" : onboarded + " of " + pilots + " pilots onboarded", List.of(),
                    Map.of("pilots", pilots, "onboarded", onboarded)));
            int checks = s.healthChecks() == null ? 0 : s.healthChecks().checks();
            int passing = s.healthChecks() == null ? 0 : s.healthChecks().passing();
            out.add(new Measurement(Kpi.HEALTH_CHECKS, false, source, query + " latest result of each health check",
                    (double) passing, (long) checks, "every automated health check passes", null, null,
                    checks == 0 ? Verdict.INCONCLUSIVE : passing == checks ? Verdict.PASS : Verdict.FAIL,
                    checks == 0 ? "no health check has reported" : passing + " of " + checks + " health checks pass",
                    List.of(), Map.of()));
        }
        else {
            long week = s.support() == null ? 0 : s.support().last7Days();
            double max7 = policy.get(Threshold.SUPPORT_TICKETS_WEEK_MAX);
            out.add(new Measurement(Kpi.SUPPORT_VOLUME, false, source, query + " support requests in the last 7 days",
                    (double) week, null, "<= " + Criteria.fmt(max7) + " a week", null, null,
                    week <= max7 ? Verdict.PASS : Verdict.FAIL, week + " support requests in the last 7 days", List.of(),
                    Map.of("total", s.support() == null ? 0L : s.support().total())));
        }
        return out;
    }

    /** Open incidents fail their trigger, confined to components when every open one names a component. */
    static List<Measurement> incidents(List<Incidents.Incident> all) {
        List<Measurement> out = new ArrayList<>();
        for (Incidents.Type type : Incidents.Type.values()) {
            Kpi kpi = type == Incidents.Type.SECURITY_VULNERABILITY ? Kpi.SECURITY_VULNERABILITY_TRIGGER
                    : Kpi.CRITICAL_FAILURE_TRIGGER;
            List<Incidents.Incident> open = all.stream().filter(i -> i.type() == type && i.resolvedAt() == null).toList();
            boolean confined = !open.isEmpty() && open.stream().allMatch(i -> i.component() != null);
            out.add(new Measurement(kpi, true, "incidents", "open incidents of type " + type, (double) open.size(),
                    (long) all.size(), "no open incident", null, null, open.isEmpty() ? Verdict.PASS : Verdict.FAIL,
                    open.isEmpty() ? "no open " + type.name().toLowerCase(Locale.ROOT).replace('_', ' ')
                            : open.size() + " open: " + String.join("; ", open.stream().map(i -> i.severity() + " "
                                    + (i.component() == null ? "" : i.component() + ": ") + i.description()).toList()),
                    confined ? open.stream().map(Incidents.Incident::component).distinct().toList() : List.of(),
                    Map.of()));
        }
        return out;
    }

    static Measurement error(Kpi kpi, String source, String query, String problem) {
        return new Measurement(kpi, kpi.trigger(), source, query, null, null, null, null, null, Verdict.INCONCLUSIVE,
                "provider error: " + problem, List.of(), Map.of("providerError", true));
    }
}
