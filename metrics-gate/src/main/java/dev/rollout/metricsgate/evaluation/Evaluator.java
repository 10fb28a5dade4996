package dev.rollout.metricsgate.evaluation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.rollout.metricsgate.evidence.Evidence;
import dev.rollout.metricsgate.features.UserTypes;
import dev.rollout.metricsgate.policy.KpiPolicy;
import dev.rollout.metricsgate.provider.Incidents;
import dev.rollout.starter.web.ProblemException;
import org.springframework.stereotype.Service;

/**
 * Measures every KPI of a phase (or a batch) by asking the phase's metric providers, each KPI of one; stores nothing
 * (see {@link Evaluations}).
 */
@Service
class Evaluator {

    record Request(Phase phase, Integer batch, Instant since) {
    }

    private final MetricProvider evidence;
    private final MetricProvider traffic;
    private final MetricProvider batchHealth;
    private final MetricProvider pilots;
    private final MetricProvider incidents;
    private final MetricProvider userTypes;
    private final Clock clock;

    Evaluator(Evidence evidence, TrafficMetrics traffic, BatchHealthMetrics batchHealth, PilotMetrics pilots,
            Incidents incidents, UserTypes userTypes, Clock clock) {
        this.evidence = (scope, policy) -> PhaseOneCriteria.measure(evidence.latest(scope.rolloutId()), policy);
        this.traffic = traffic;
        this.batchHealth = batchHealth;
        this.pilots = pilots;
        this.incidents = (scope, policy) -> FleetCriteria.incidents(incidents.list(scope.rolloutId()));
        this.userTypes = (scope, policy) -> UserTypeCriteria.measure(userTypes.latest(scope.rolloutId()));
        this.clock = clock;
    }

    List<Measurement> measure(UUID rolloutId, Request request, KpiPolicy policy) {
        if (request.phase() == Phase.EXPANSION && request.batch() == null) {
            throw ProblemException.badRequest("batch is required to evaluate the EXPANSION phase");
        }
        Instant since = request.since() != null ? request.since() : clock.instant().minus(Duration.ofHours(24));
        MetricProvider.Scope scope = new MetricProvider.Scope(rolloutId, request.phase(), request.batch(), since);
        List<Measurement> out = new ArrayList<>();
        for (MetricProvider provider : providers(request.phase())) {
            out.addAll(provider.measure(scope, policy));
        }
        return out;
    }

    /** The providers of a phase's KPIs, in the order its reports list them. */
    private List<MetricProvider> providers(Phase phase) {
        return switch (phase) {
            case DEVELOPMENT -> List.of(evidence);
            case PILOT -> List.of(pilots, traffic, incidents);
            case EXPANSION -> List.of(batchHealth, traffic, incidents);
            case PRODUCTION -> List.of(traffic, userTypes, pilots, incidents);
        };
    }
}
