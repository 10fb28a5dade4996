package dev.rollout.metricsgate.provider;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prometheus as the metric source of a rollout: base URL, auth header, timeout, and one PromQL query per
 * figure ({@code errorRate}, {@code requests}, {@code availability}, {@code latencyMs},
 * {@code baselineLatencyMs}, {@code criticalErrorRate}, {@code criticalRequests}); {@code {rollout}} in a
 * query is replaced by the rollout id.
 */
@Service
public class PrometheusSources {

    public static final List<String> QUERIES = List.of("errorRate", "requests", "availability", "latencyMs",
            "baselineLatencyMs", "criticalErrorRate", "criticalRequests");

    /** The figures that are counts: their series add up. Every other figure must come back as one series. */
    static final Set<String> COUNTS = Set.of("requests", "criticalRequests");

    public static Prometheus.Aggregation aggregationOf(String figure) {
        return COUNTS.contains(figure) ? Prometheus.Aggregation.SUM : Prometheus.Aggregation.SINGLE;
    }

    public record Source(String baseUrl, String authHeader, Duration timeout, Map<String, String> queries) {
    }

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    PrometheusSources(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Transactional
    public void save(UUID rolloutId, Source source) {
        jdbc.update("DELETE FROM prometheus_source WHERE rollout_id = ?", rolloutId);
        jdbc.update("INSERT INTO prometheus_source (rollout_id, base_url, auth_header, timeout_ms, queries) VALUES (?, ?, ?, ?, ?)",
                rolloutId, source.baseUrl(), source.authHeader(), (int) source.timeout().toMillis(),
                json.writeValueAsString(source.queries()));
    }

    @Transactional(readOnly = true)
    @SuppressWarnings("unchecked")
    public Optional<Source> of(UUID rolloutId) {
        return jdbc.query("SELECT base_url, auth_header, timeout_ms, queries FROM prometheus_source WHERE rollout_id = ?",
                (rs, n) -> new Source(rs.getString(1), rs.getString(2), Duration.ofMillis(rs.getInt(3)),
                        new LinkedHashMap<String, String>(json.readValue(rs.getString(4), Map.class))), rolloutId)
                .stream().findFirst();
    }
}
