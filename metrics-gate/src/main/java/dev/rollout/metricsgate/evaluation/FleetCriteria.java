package dev.rollout.metricsgate.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.rollout.metricsgate.policy.KpiPolicy;
import dev.rollout.metricsgate.policy.Threshold;
import dev.rollout.metricsgate.provider.Incidents;
import dev.rollout.metricsgate.provider.ServiceReads;
import tools.jackson.databind.JsonNode;

/** KPIs read from cluster-batcher (a batch's health, the error budget) and pilot-service, and incidents. */
final class FleetCriteria {

    private FleetCriteria() {
    }

    /** A batch: agent response rate, agent-reported error rate (trigger), latency, time zones, integrity. */
    static List<Measurement> batch(ServiceReads.Read read, int number, KpiPolicy policy) {
        String source = "cluster-batcher batch " + number + " health";
        String query = "GET /api/rollouts/{id}/batches/" + number;
        if (!read.ok()) {
            return List.of(error(Kpi.AGENT_RESPONSE_RATE, source, query, read.problem()),
                    error(Kpi.ERROR_RATE_TRIGGER, source, query, read.problem()),
                    error(Kpi.TIME_ZONES, source, query, read.problem()),
                    error(Kpi.DATA_INTEGRITY, source, query, read.problem()));
        }
        JsonNode batch = read.body();
        JsonNode health = batch.path("health");
        double confidence = policy.get(Threshold.CONFIDENCE);
        long minSamples = (long) policy.get(Threshold.MIN_SAMPLES);
        List<Measurement> out = new ArrayList<>();
        if (!"ACTIVE".equals(batch.path("activation").path("state").asString())) {
            String state = batch.path("activation").path("state").asString("unknown");
            return List.of(Measurement.inconclusive(Kpi.AGENT_RESPONSE_RATE, source, query, ">= "
                    + Criteria.pct(policy.get(Threshold.AGENT_RESPONSE_RATE_MIN)), "batch " + number + " is " + state
                            + ", not active"));
        }
        long activated = health.path("activated").asLong();
        long acknowledged = health.path("acknowledged").asLong();
        out.add(Criteria.rateAtLeast(Kpi.AGENT_RESPONSE_RATE, source, query + " acknowledged / activated",
                activated == 0 ? null : acknowledged, activated == 0 ? null : activated,
                policy.get(Threshold.AGENT_RESPONSE_RATE_MIN), confidence, 1, List.of()));
        long requests = health.path("requests").asLong();
        long errors = health.path("errors").asLong();
        out.add(Criteria.rateAtMost(Kpi.ERROR_RATE_TRIGGER, source, query + " errors / requests reported by the agents",
                requests == 0 ? null : errors, requests == 0 ? null : requests, policy.get(Threshold.ERROR_RATE_ROLLBACK),
                confidence, minSamples, List.of()));
        JsonNode p95 = health.path("latencyP95Ms");
        out.add(Criteria.valueBelow(Kpi.RESPONSE_TIME, source, query + " p95 of the agents' reported latency",
                p95.isNumber() ? p95.asDouble() : null, acknowledged, policy.get(Threshold.RESPONSE_TIME_MAX_MS), 1, " ms"));
        int heard = health.path("timeZonesHeardFrom").asInt();
        int inBatch = health.path("timeZonesInBatch").asInt();
        List<String> silent = new ArrayList<>();
        health.path("silentTimeZones").forEach(z -> silent.add(z.asString()));
        out.add(new Measurement(Kpi.TIME_ZONES, false, source, query + " time zones heard from", (double) heard,
                (long) inBatch, "all " + inBatch + " time zones of the batch", null, null,
                acknowledged == 0 ? Verdict.INCONCLUSIVE : heard >= inBatch ? Verdict.PASS : Verdict.FAIL,
                acknowledged == 0 ? "no agent has answered yet" : "heard from " + heard + " of " + inBatch + " time zones"
                        + (silent.isEmpty() ? "" : "; silent: " + String.join(", ", silent)), List.of(),
                Map.of("silent", silent)));
        long outside = health.path("integrity").path("outsideActivatedSet").asLong();
        long other = health.path("integrity").path("otherVersion").asLong();
        out.add(new Measurement(Kpi.DATA_INTEGRITY, false, source, query + " integrity", (double) (outside + other),
                acknowledged, "no acknowledgement from outside the activated set or for another version", null, null,
                outside + other == 0 ? Verdict.PASS : Verdict.FAIL, outside + other == 0 ? "every acknowledgement fits"
                        : outside + " acknowledgements from agents outside the activated set, " + other
                                + " for another version", List.of(), Map.of("outsideActivatedSet", outside, "otherVersion", other)));
        return out;
    }

    /** The error budget across every active batch: a slow drift no single batch shows still stops the rollout. */
    static Measurement errorBudget(List<ServiceReads.Read> batches, KpiPolicy policy) {
        String source = "cluster-batcher, every active batch";
        long requests = 0;
        long errors = 0;
        for (ServiceReads.Read read : batches) {
            if (!read.ok()) {
                return error(Kpi.ERROR_BUDGET, source, "GET /api/rollouts/{id}/batches/{n}", read.problem());
            }
            requests += read.body().path("health").path("requests").asLong();
            errors += read.body().path("health").path("errors").asLong();
        }
        return Criteria.rateAtMost(Kpi.ERROR_BUDGET, source, "sum of errors / sum of requests over " + batches.size()
                + " active batches", requests == 0 ? null : errors, requests == 0 ? null : requests,
                policy.get(Threshold.ERROR_BUDGET), policy.get(Threshold.CONFIDENCE), (long) policy.get(Threshold.MIN_SAMPLES),
                List.of());
    }

    /** Phase 2 and 4 figures of pilot-service: satisfaction, instability (trigger), onboarding, checks, support. */
    static List<Measurement> pilots(ServiceReads.Read read, Phase phase, KpiPolicy policy) {
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
        JsonNode s = read.body();
        List<Measurement> out = new ArrayList<>();
        JsonNode distribution = s.path("satisfaction").path("distribution");
        long count = 0;
        double sum = 0;
        double squares = 0;
        for (int r = 1; r <= 5; r++) {
            long n = distribution.path(String.valueOf(r)).asLong();
            count += n;
            sum += (double) r * n;
            squares += (double) r * r * n;
        }
        out.add(Criteria.meanAbove(Kpi.SATISFACTION, source, query + " ratings 1-5", count, sum, squares,
                policy.get(Threshold.SATISFACTION_MIN), policy.get(Threshold.CONFIDENCE), (long) policy.get(Threshold.MIN_FEEDBACK)));
        List<String> components = new ArrayList<>();
        long negative = 0;
        for (JsonNode report : s.path("instability").path("latest")) {
            if (report.path("rating").asInt(5) <= 2) {
                negative++;
                if (report.path("component").isString()) {
                    components.add(report.path("component").asString());
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
            JsonNode onboarding = s.path("onboarding");
            int pilots = onboarding.path("pilots").asInt();
            int onboarded = onboarding.path("onboarded").asInt();
            double min = policy.get(Threshold.ONBOARDING_MIN);
            out.add(new Measurement(Kpi.ONBOARDING, false, source, query + " onboarding", pilots == 0 ? null
                    : (double) onboarded / pilots, (long) pilots, ">= " + Criteria.pct(min) + " of pilots onboarded", null,
                    null, pilots == 0 ? Verdict.INCONCLUSIVE : (double) onboarded / pilots >= min ? Verdict.PASS : Verdict.FAIL,
                    pilots == 0 ? "the roster is empty" : onboarded + " of " + pilots + " pilots onboarded", List.of(),
                    Map.of("pilots", pilots, "onboarded", onboarded)));
            int checks = s.path("healthChecks").path("checks").asInt();
            int passing = s.path("healthChecks").path("passing").asInt();
            out.add(new Measurement(Kpi.HEALTH_CHECKS, false, source, query + " latest result of each health check",
                    (double) passing, (long) checks, "every automated health check passes", null, null,
                    checks == 0 ? Verdict.INCONCLUSIVE : passing == checks ? Verdict.PASS : Verdict.FAIL,
                    checks == 0 ? "no health check has reported" : passing + " of " + checks + " health checks pass",
                    List.of(), Map.of()));
        }
        else {
            long week = s.path("support").path("last7Days").asLong();
            double max7 = policy.get(Threshold.SUPPORT_TICKETS_WEEK_MAX);
            out.add(new Measurement(Kpi.SUPPORT_VOLUME, false, source, query + " support requests in the last 7 days",
                    (double) week, null, "<= " + Criteria.fmt(max7) + " a week", null, null,
                    week <= max7 ? Verdict.PASS : Verdict.FAIL, week + " support requests in the last 7 days", List.of(),
                    Map.of("total", s.path("support").path("total").asLong())));
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
