package dev.rollout.metricsgate.provider;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.rollout.starter.web.ProblemException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Incidents reported by on-call or release managers: open ones are rollback triggers. */
@Service
public class Incidents {

    public enum Type { CRITICAL_FUNCTIONALITY_FAILURE, SECURITY_VULNERABILITY }

    public enum Severity { LOW, MEDIUM, HIGH, CRITICAL }

    public record Incident(UUID id, UUID rolloutId, Type type, Severity severity, String component, String description,
            String reportedBy, Instant reportedAt, Instant resolvedAt) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    Incidents(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional
    public Incident report(UUID rolloutId, Type type, Severity severity, String component, String description,
            String actor) {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        jdbc.update("INSERT INTO incident (id, rollout_id, type, severity, component, description, reported_by,"
                + " reported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, rolloutId, type.name(), severity.name(), component,
                description, actor, Timestamp.from(now));
        return new Incident(id, rolloutId, type, severity, component, description, actor, now, null);
    }

    @Transactional
    public Incident resolve(UUID rolloutId, UUID id) {
        jdbc.update("UPDATE incident SET resolved_at = ? WHERE id = ? AND rollout_id = ? AND resolved_at IS NULL",
                Timestamp.from(clock.instant()), id, rolloutId);
        return list(rolloutId).stream().filter(i -> i.id().equals(id)).findFirst()
                .orElseThrow(() -> ProblemException.notFound("Incident", id));
    }

    @Transactional(readOnly = true)
    public List<Incident> list(UUID rolloutId) {
        return jdbc.query("SELECT id, rollout_id, type, severity, component, description, reported_by, reported_at,"
                + " resolved_at FROM incident WHERE rollout_id = ? ORDER BY reported_at", (rs, n) -> new Incident(
                        rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), Type.valueOf(rs.getString(3)),
                        Severity.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6), rs.getString(7),
                        rs.getTimestamp(8).toInstant(), rs.getTimestamp(9) == null ? null : rs.getTimestamp(9).toInstant()),
                rolloutId);
    }
}
