package dev.rollout.pilotservice.summary;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.rollout.pilotservice.grant.PilotGrants;
import dev.rollout.pilotservice.onboarding.Onboarding;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Everything the gate reads from the pilot phase of a rollout, with its raw figures. */
@Service
class PilotSummary {

    record Satisfaction(long count, Double mean, Map<Integer, Long> distribution) {
    }

    record Instability(long reports, List<Report> latest) {
    }

    record Report(String pilotId, int rating, String component, String comment, Instant givenAt) {
    }

    record ComponentFeedback(long count, double mean, long instabilityReports) {
    }

    record HealthChecks(int checks, int passing, List<Check> latest) {
    }

    record Check(String name, boolean passed, String detail, Instant checkedAt) {
    }

    record Support(long total, long last24Hours, long last7Days, Map<String, Long> bySeverity) {
    }

    record Summary(UUID rolloutId, int pilotsWithGrant, Satisfaction satisfaction, Instability instability,
            Map<String, ComponentFeedback> components, Onboarding.Status onboarding, HealthChecks healthChecks,
            Support support, Instant at) {
    }

    private final JdbcTemplate jdbc;
    private final Onboarding onboarding;
    private final PilotGrants grants;
    private final Clock clock;

    PilotSummary(JdbcTemplate jdbc, Onboarding onboarding, PilotGrants grants, Clock clock) {
        this.jdbc = jdbc;
        this.onboarding = onboarding;
        this.grants = grants;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    Summary of(UUID rolloutId) {
        Map<Integer, Long> distribution = new TreeMap<>();
        for (int r = 1; r <= 5; r++) {
            distribution.put(r, 0L);
        }
        jdbc.query("SELECT rating, count(*) FROM feedback WHERE rollout_id = ? GROUP BY rating",
                rs -> { distribution.put(rs.getInt(1), rs.getLong(2)); }, rolloutId);
        long count = distribution.values().stream().mapToLong(Long::longValue).sum();
        double sum = distribution.entrySet().stream().mapToDouble(e -> e.getKey() * e.getValue()).sum();
        List<Report> reports = jdbc.query("SELECT pilot_id, rating, component, comment, given_at FROM feedback"
                + " WHERE rollout_id = ? AND instability ORDER BY given_at DESC", (rs, n) -> new Report(rs.getString(1),
                        rs.getInt(2), rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant()), rolloutId);
        Map<String, ComponentFeedback> components = new LinkedHashMap<>();
        jdbc.query("SELECT component, count(*), avg(rating), sum(CASE WHEN instability THEN 1 ELSE 0 END) FROM feedback"
                + " WHERE rollout_id = ? AND component IS NOT NULL GROUP BY component ORDER BY component", rs -> {
                    components.put(rs.getString(1), new ComponentFeedback(rs.getLong(2), rs.getDouble(3), rs.getLong(4)));
                }, rolloutId);
        List<Check> latest = jdbc.query("SELECT h.name, h.passed, h.detail, h.checked_at FROM health_check h"
                + " WHERE h.rollout_id = ? AND h.checked_at = (SELECT max(l.checked_at) FROM health_check l"
                + " WHERE l.rollout_id = h.rollout_id AND l.name = h.name) ORDER BY h.name", (rs, n) -> new Check(
                        rs.getString(1), rs.getBoolean(2), rs.getString(3), rs.getTimestamp(4).toInstant()), rolloutId);
        Instant now = clock.instant();
        Map<String, Long> bySeverity = new TreeMap<>();
        jdbc.query("SELECT severity, count(*) FROM support_request WHERE rollout_id = ? GROUP BY severity",
                rs -> { bySeverity.put(rs.getString(1), rs.getLong(2)); }, rolloutId);
        long total = bySeverity.values().stream().mapToLong(Long::longValue).sum();
        int withGrant = (int) grants.holdings(rolloutId).stream().filter(h -> h.revokedAt() == null).count();
        return new Summary(rolloutId, withGrant, new Satisfaction(count, count == 0 ? null : sum / count, distribution),
                new Instability(reports.size(), reports.stream().limit(20).toList()), components, onboarding.status(),
                new HealthChecks(latest.size(), (int) latest.stream().filter(Check::passed).count(), latest),
                new Support(total, since(rolloutId, now.minus(Duration.ofHours(24))), since(rolloutId, now.minus(Duration.ofDays(7))),
                        bySeverity), now);
    }

    private long since(UUID rolloutId, Instant from) {
        Long n = jdbc.queryForObject("SELECT count(*) FROM support_request WHERE rollout_id = ? AND raised_at >= ?",
                Long.class, rolloutId, Timestamp.from(from));
        return n == null ? 0 : n;
    }
}
