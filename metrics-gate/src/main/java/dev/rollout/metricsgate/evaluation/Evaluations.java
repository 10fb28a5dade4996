package dev.rollout.metricsgate.evaluation;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rollout.metricsgate.policy.KpiPolicies;
import dev.rollout.metricsgate.policy.KpiPolicy;
import dev.rollout.starter.web.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Gate evaluations: decided, stored with every measurement, and read back to answer "why?". */
@Service
public class Evaluations {

    /** One evaluation with its decision and every measurement behind it. */
    public record Evaluation(UUID id, UUID rolloutId, Phase phase, Integer batch, GateVerdict verdict, RollUp.Scope scope,
            List<String> components, List<String> reasons, Map<String, Double> policy, List<Measurement> measurements,
            String requestedBy, Instant evaluatedAt) {

        /**
         * {@code false} for a HOLD within the inconclusive limit: the analysis goes on and the gate measures again
         * after the evaluation interval; a rollout waiting on it does not pause yet. PASS and ROLLBACK conclude.
         */
        @JsonProperty("conclusive")
        public boolean conclusive() {
            return verdict != GateVerdict.HOLD || RollUp.decide(measurements).conclusive();
        }
    }

    /** One line of a rollout's history. */
    public record Summary(UUID id, Phase phase, Integer batch, GateVerdict verdict, RollUp.Scope scope,
            List<String> components, List<String> reasons, Instant evaluatedAt) {
    }

    private final Evaluator evaluator;
    private final KpiPolicies policies;
    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final MeterRegistry meters;
    private final MultiGauge measuredNow;

    Evaluations(Evaluator evaluator, KpiPolicies policies, JdbcTemplate jdbc, JsonMapper json, Clock clock,
            MeterRegistry meters) {
        this.evaluator = evaluator;
        this.policies = policies;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.meters = meters;
        this.measuredNow = MultiGauge.builder("rollout.gate.measured")
                .description("What the latest evaluation measured, per KPI (the largest value where a KPI is measured"
                        + " several times, per component say): an error rate or a degradation as a share, a response"
                        + " time in ms, as the evaluation's measurements state them")
                .register(meters);
    }

    /** Evaluates now and stores the result. */
    @Transactional
    public Evaluation evaluate(UUID rolloutId, Evaluator.Request request, String actor) {
        KpiPolicy policy = policies.of(rolloutId);
        List<Measurement> measured = evaluator.measure(rolloutId, request, policy);
        List<Measurement> limited = AnalysisLimits.apply(measured, history(rolloutId, request),
                consecutiveErrors(rolloutId, request), policy);
        RollUp.Decision decision = RollUp.decide(limited);
        Evaluation evaluation = new Evaluation(UUID.randomUUID(), rolloutId, request.phase(), request.batch(),
                decision.verdict(), decision.scope(), decision.components(), decision.reasons(), policy.asMap(), limited,
                actor, clock.instant());
        store(evaluation);
        meters.counter("rollout.gate.evaluations", "phase", request.phase().name(), "verdict", decision.verdict().name())
                .increment();
        Map<Kpi, Double> largest = new EnumMap<>(Kpi.class);
        for (Measurement m : limited) {
            if (m.value() != null && !m.value().isNaN()) {
                largest.merge(m.kpi(), m.value(), Math::max);
            }
        }
        measuredNow.register(largest.entrySet().stream().map(e -> MultiGauge.Row.of(Tags.of("kpi", e.getKey().name(),
                "phase", request.phase().name(), "rollout", rolloutId.toString()), e.getValue())).toList(), true);
        return evaluation;
    }

    /** The same evaluation with other thresholds, from the stored evidence and current figures; nothing is stored. */
    @Transactional(readOnly = true)
    public Evaluation whatIf(UUID rolloutId, Evaluator.Request request, Map<String, Double> overrides, String actor) {
        Map<String, Double> merged = new LinkedHashMap<>(policies.of(rolloutId).overrides());
        merged.putAll(overrides);
        KpiPolicy policy = KpiPolicy.withOverrides(merged);
        List<Measurement> measured = evaluator.measure(rolloutId, request, policy);
        RollUp.Decision decision = RollUp.decide(AnalysisLimits.apply(measured, history(rolloutId, request),
                consecutiveErrors(rolloutId, request), policy));
        return new Evaluation(null, rolloutId, request.phase(), request.batch(), decision.verdict(), decision.scope(),
                decision.components(), decision.reasons(), policy.asMap(), measured, actor, clock.instant());
    }

    private void store(Evaluation e) {
        jdbc.update("INSERT INTO evaluation (id, rollout_id, phase, batch, verdict, scope, components, reasons, policy,"
                + " requested_by, evaluated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e.id(), e.rolloutId(),
                e.phase().name(), e.batch(), e.verdict().name(), e.scope() == null ? null : e.scope().name(),
                String.join(",", e.components()), json.writeValueAsString(e.reasons()), json.writeValueAsString(e.policy()),
                e.requestedBy(), Timestamp.from(e.evaluatedAt()));
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < e.measurements().size(); i++) {
            Measurement m = e.measurements().get(i);
            rows.add(new Object[] { e.id(), i, m.kpi().name(), m.verdict().name(), json.writeValueAsString(m) });
        }
        jdbc.batchUpdate("INSERT INTO measurement (evaluation_id, position, kpi, verdict, body) VALUES (?, ?, ?, ?, ?)", rows);
    }

    @Transactional(readOnly = true)
    public Evaluation find(UUID id) {
        List<Evaluation> found = jdbc.query("SELECT id, rollout_id, phase, batch, verdict, scope, components, reasons, policy,"
                + " requested_by, evaluated_at FROM evaluation WHERE id = ?", (rs, n) -> new Evaluation(
                        rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), Phase.valueOf(rs.getString(3)),
                        (Integer) rs.getObject(4), GateVerdict.valueOf(rs.getString(5)),
                        rs.getString(6) == null ? null : RollUp.Scope.valueOf(rs.getString(6)),
                        components(rs.getString(7)),
                        json.readValue(rs.getString(8), new TypeReference<List<String>>() { }),
                        json.readValue(rs.getString(9), new TypeReference<Map<String, Double>>() { }),
                        measurements(rs.getObject(1, UUID.class)), rs.getString(10), rs.getTimestamp(11).toInstant()), id);
        if (found.isEmpty()) {
            throw ProblemException.notFound("Evaluation", id);
        }
        return found.get(0);
    }

    /** The stored comma-separated component names. */
    private static List<String> components(String stored) {
        return stored == null || stored.isEmpty() ? List.of() : List.of(stored.split(","));
    }

    private List<Measurement> measurements(UUID evaluationId) {
        return jdbc.query("SELECT body FROM measurement WHERE evaluation_id = ? ORDER BY position",
                (rs, n) -> json.readValue(rs.getString(1), Measurement.class), evaluationId);
    }

    @Transactional(readOnly = true)
    public List<Summary> history(UUID rolloutId, Optional<Phase> phase) {
        return jdbc.query("SELECT id, phase, batch, verdict, scope, reasons, evaluated_at, components FROM evaluation"
                + " WHERE rollout_id = ?"
                + (phase.isPresent() ? " AND phase = '" + phase.get().name() + "'" : "") + " ORDER BY evaluated_at DESC",
                (rs, n) -> new Summary(rs.getObject(1, UUID.class), Phase.valueOf(rs.getString(2)), (Integer) rs.getObject(3),
                        GateVerdict.valueOf(rs.getString(4)), rs.getString(5) == null ? null : RollUp.Scope.valueOf(rs.getString(5)),
                        components(rs.getString(8)), json.readValue(rs.getString(6), new TypeReference<List<String>>() { }),
                        rs.getTimestamp(7).toInstant()),
                rolloutId);
    }

    /** The rollout's KPIs over time (its latest {@code evaluations} evaluations), as the console charts them. */
    @Transactional(readOnly = true)
    public List<KpiSeries.Series> series(UUID rolloutId, int evaluations) {
        List<KpiSeries.Measured> measured = jdbc.query("SELECT e.evaluated_at, e.phase, e.batch, m.body"
                + " FROM (SELECT id, evaluated_at, phase, batch FROM evaluation WHERE rollout_id = ?"
                + " ORDER BY evaluated_at DESC LIMIT ?) e JOIN measurement m ON m.evaluation_id = e.id"
                + " ORDER BY e.evaluated_at, m.position", (rs, n) -> new KpiSeries.Measured(rs.getTimestamp(1).toInstant(),
                        Phase.valueOf(rs.getString(2)), (Integer) rs.getObject(3),
                        json.readValue(rs.getString(4), Measurement.class)), rolloutId, evaluations);
        return KpiSeries.of(measured);
    }

    /** Earlier verdicts of each KPI in the same phase and batch, oldest first. */
    private Map<Kpi, List<Verdict>> history(UUID rolloutId, Evaluator.Request request) {
        Map<Kpi, List<Verdict>> history = new EnumMap<>(Kpi.class);
        jdbc.query("SELECT m.kpi, m.verdict FROM measurement m JOIN evaluation e ON e.id = m.evaluation_id"
                + " WHERE e.rollout_id = ? AND e.phase = ? AND " + (request.batch() == null ? "e.batch IS NULL" : "e.batch = ?")
                + " ORDER BY e.evaluated_at, m.position", rs -> {
                    history.computeIfAbsent(Kpi.valueOf(rs.getString(1)), k -> new ArrayList<>())
                            .add(Verdict.valueOf(rs.getString(2)));
                }, request.batch() == null ? new Object[] { rolloutId, request.phase().name() }
                        : new Object[] { rolloutId, request.phase().name(), request.batch() });
        return history;
    }

    /** Provider errors of each KPI in a row, counting back from the latest evaluation. */
    private Map<Kpi, Integer> consecutiveErrors(UUID rolloutId, Evaluator.Request request) {
        Map<Kpi, Integer> inARow = new EnumMap<>(Kpi.class);
        Map<Kpi, Boolean> broken = new EnumMap<>(Kpi.class);
        jdbc.query("SELECT m.kpi, m.body FROM measurement m JOIN evaluation e ON e.id = m.evaluation_id"
                + " WHERE e.rollout_id = ? AND e.phase = ? ORDER BY e.evaluated_at DESC", rs -> {
                    Kpi kpi = Kpi.valueOf(rs.getString(1));
                    if (Boolean.TRUE.equals(broken.get(kpi))) {
                        return;
                    }
                    if (rs.getString(2).contains("\"providerError\":true")) {
                        inARow.merge(kpi, 1, Integer::sum);
                    }
                    else {
                        broken.put(kpi, true);
                    }
                }, rolloutId, request.phase().name());
        return inARow;
    }
}
