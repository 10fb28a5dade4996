package dev.rollout.metricsgate.policy;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Per-rollout overrides of the gate's thresholds. */
@Service
public class KpiPolicies {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    KpiPolicies(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public KpiPolicy of(UUID rolloutId) {
        Map<String, Double> overrides = new LinkedHashMap<>();
        jdbc.query("SELECT kpi, threshold FROM kpi_policy_override WHERE rollout_id = ? ORDER BY kpi",
                rs -> { overrides.put(rs.getString(1), rs.getDouble(2)); }, rolloutId);
        return KpiPolicy.withOverrides(overrides);
    }

    /** Replaces the rollout's overrides, all or nothing, after validating them. */
    @Transactional
    public KpiPolicy override(UUID rolloutId, Map<String, Double> overrides, String actor) {
        KpiPolicy policy = KpiPolicy.withOverrides(overrides);
        jdbc.update("DELETE FROM kpi_policy_override WHERE rollout_id = ?", rolloutId);
        Timestamp now = Timestamp.from(clock.instant());
        overrides.forEach((kpi, value) -> jdbc.update("INSERT INTO kpi_policy_override (rollout_id, kpi, threshold,"
                + " updated_by, updated_at) VALUES (?, ?, ?, ?, ?)", rolloutId, kpi, value, actor, now));
        return policy;
    }
}
