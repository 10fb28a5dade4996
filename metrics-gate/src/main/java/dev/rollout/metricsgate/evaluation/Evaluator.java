package dev.rollout.metricsgate.evaluation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.rollout.metricsgate.client.ClusterBatcherClient;
import dev.rollout.metricsgate.client.ClusterBatcherClient.Batch;
import dev.rollout.metricsgate.client.ClusterBatcherClient.Plan;
import dev.rollout.metricsgate.client.PilotServiceClient;
import dev.rollout.metricsgate.evidence.Evidence;
import dev.rollout.metricsgate.features.UserTypes;
import dev.rollout.metricsgate.policy.KpiPolicy;
import dev.rollout.metricsgate.policy.Threshold;
import dev.rollout.metricsgate.provider.Incidents;
import dev.rollout.metricsgate.provider.Prometheus;
import dev.rollout.metricsgate.provider.PrometheusSources;
import dev.rollout.metricsgate.provider.Samples;
import dev.rollout.starter.client.ServiceClients;
import dev.rollout.starter.outbound.OutboundHttp;
import dev.rollout.starter.web.ProblemException;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/** Measures every KPI of a phase (or a batch) and decides; stores nothing (see {@link Evaluations}). */
@Service
class Evaluator {

    record Request(Phase phase, Integer batch, Instant since) {
    }

    private final Evidence evidence;
    private final Samples samples;
    private final Incidents incidents;
    private final PrometheusSources prometheusSources;
    private final Prometheus prometheus;
    private final ClusterBatcherClient clusterBatcher;
    private final PilotServiceClient pilots;
    private final Clock clock;
    private final UserTypes userTypes;

    Evaluator(Evidence evidence, Samples samples, Incidents incidents, PrometheusSources prometheusSources,
            ServiceClients clients, OutboundHttp outbound, JsonMapper json, Clock clock, UserTypes userTypes) {
        this.userTypes = userTypes;
        this.evidence = evidence;
        this.samples = samples;
        this.incidents = incidents;
        this.prometheusSources = prometheusSources;
        this.prometheus = new Prometheus(outbound, json);
        this.clusterBatcher = clients.contract(ClusterBatcherClient.SERVICE, ClusterBatcherClient.class);
        this.pilots = clients.contract(PilotServiceClient.SERVICE, PilotServiceClient.class);
        this.clock = clock;
    }

    List<Measurement> measure(UUID rolloutId, Request request, KpiPolicy policy) {
        List<Measurement> out = new ArrayList<>();
        Instant since = request.since() != null ? request.since() : clock.instant().minus(Duration.ofHours(24));
        switch (request.phase()) {
            case DEVELOPMENT -> out.addAll(PhaseOneCriteria.measure(evidence.latest(rolloutId), policy));
            case PILOT -> {
                out.addAll(FleetCriteria.pilots(Read.of(() -> pilots.summary(rolloutId)), Phase.PILOT, policy));
                out.addAll(traffic(rolloutId, null, since, policy));
                out.addAll(FleetCriteria.incidents(incidents.list(rolloutId)));
            }
            case EXPANSION -> {
                if (request.batch() == null) {
                    throw ProblemException.badRequest("batch is required to evaluate the EXPANSION phase");
                }
                Read<Batch> current = Read.of(() -> clusterBatcher.batch(rolloutId, request.batch()));
                out.addAll(FleetCriteria.batch(current, request.batch(), policy));
                out.add(FleetCriteria.errorBudget(activeBatches(rolloutId, request.batch(), current), policy));
                out.addAll(traffic(rolloutId, request.batch(), since, policy).stream()
                        .filter(m -> m.kpi() != Kpi.RESPONSE_TIME || m.value() != null).toList());
                out.addAll(FleetCriteria.incidents(incidents.list(rolloutId)));
            }
            case PRODUCTION -> {
                out.addAll(traffic(rolloutId, null, since, policy));
                out.addAll(UserTypeCriteria.measure(userTypes.latest(rolloutId)));
                out.addAll(FleetCriteria.pilots(Read.of(() -> pilots.summary(rolloutId)), Phase.PRODUCTION, policy));
                out.addAll(FleetCriteria.incidents(incidents.list(rolloutId)));
            }
        }
        return out;
    }

    private List<Measurement> traffic(UUID rolloutId, Integer batch, Instant since, KpiPolicy policy) {
        return TrafficCriteria.measure(rolloutId, samples.totals(rolloutId, batch, since),
                prometheusSources.of(rolloutId), prometheus, policy);
    }

    /** Every active batch's health; the batch being evaluated is not read a second time. */
    private List<Read<Batch>> activeBatches(UUID rolloutId, int number, Read<Batch> current) {
        Read<Plan> plan = Read.of(() -> clusterBatcher.plan(rolloutId));
        if (!plan.ok()) {
            return List.of(new Read<>(null, plan.problem()));
        }
        List<Read<Batch>> active = new ArrayList<>();
        for (Batch batch : plan.body().batches() == null ? List.<Batch>of() : plan.body().batches()) {
            if (batch.active()) {
                int n = batch.number();
                active.add(n == number ? current : Read.of(() -> clusterBatcher.batch(rolloutId, n)));
            }
        }
        return active;
    }

    /**
     * Argo-style limits over this KPI's history in the same phase and batch: a failure counts only once
     * failures exceed {@code failureLimit}; provider errors beyond {@code consecutiveErrorLimit} in a row
     * are called out (still INCONCLUSIVE: missing data never passes and never rolls back on its own).
     */
    static List<Measurement> applyLimits(List<Measurement> current, Map<Kpi, List<Verdict>> history,
            Map<Kpi, Integer> consecutiveErrors, KpiPolicy policy) {
        int failureLimit = (int) policy.get(Threshold.FAILURE_LIMIT);
        int errorLimit = (int) policy.get(Threshold.CONSECUTIVE_ERROR_LIMIT);
        List<Measurement> out = new ArrayList<>();
        for (Measurement m : current) {
            if (m.verdict() == Verdict.FAIL && failureLimit > 0) {
                long failures = history.getOrDefault(m.kpi(), List.of()).stream().filter(v -> v == Verdict.FAIL).count() + 1;
                if (failures <= failureLimit) {
                    out.add(new Measurement(m.kpi(), m.trigger(), m.source(), m.query(), m.value(), m.sampleSize(),
                            m.threshold(), m.confidenceLow(), m.confidenceHigh(), Verdict.INCONCLUSIVE, m.reason()
                                    + " (failure " + failures + " of " + failureLimit + " tolerated)", m.components(),
                            m.figures()));
                    continue;
                }
            }
            if (Boolean.TRUE.equals(m.figures().get("providerError"))) {
                int inARow = consecutiveErrors.getOrDefault(m.kpi(), 0) + 1;
                if (inARow > errorLimit) {
                    out.add(new Measurement(m.kpi(), m.trigger(), m.source(), m.query(), m.value(), m.sampleSize(),
                            m.threshold(), m.confidenceLow(), m.confidenceHigh(), Verdict.INCONCLUSIVE, m.reason() + " ("
                                    + inARow + " provider errors in a row, above the limit of " + errorLimit + ")",
                            m.components(), m.figures()));
                    continue;
                }
            }
            out.add(m);
        }
        return out;
    }
}
