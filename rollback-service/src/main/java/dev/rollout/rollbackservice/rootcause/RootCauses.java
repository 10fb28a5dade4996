package dev.rollout.rollbackservice.rootcause;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.rollout.rollbackservice.rollback.Rollback;
import dev.rollout.rollbackservice.rollback.RollbackScope;
import dev.rollout.rollbackservice.rollback.RollbackStatus;
import dev.rollout.rollbackservice.rollback.Rollbacks;
import dev.rollout.starter.web.ProblemException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * After a full rollback: what went wrong, what was done, and the safeguards the next attempt's plan must
 * carry (smaller batches, a longer observation window, tighter KPI thresholds). phase-engine reads them
 * when a rollout names this one as its previous attempt.
 */
@Component
public class RootCauses {

    /** What the next attempt's plan must carry; each field optional. */
    public record Safeguards(Long batchSize, Duration observationWindow, Map<String, Double> kpiOverrides) {
    }

    public record RootCause(UUID id, UUID rolloutId, UUID rollbackId, String summary, String cause, List<String> actions,
            Safeguards safeguards, String recordedBy, Instant recordedAt) {
    }

    private final Rollbacks rollbacks;
    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final Clock clock;

    RootCauses(Rollbacks rollbacks, JdbcTemplate jdbc, JsonMapper json, Clock clock) {
        this.rollbacks = rollbacks;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    RootCause record(UUID rolloutId, String summary, String cause, List<String> actions, Safeguards safeguards, String actor) {
        Rollback full = rollbacks.findByRolloutIdOrderByRequestedAtDesc(rolloutId).stream()
                .filter(r -> r.scope() == RollbackScope.FULL && r.status() == RollbackStatus.COMPLETED).findFirst()
                .orElseThrow(() -> new ProblemException(HttpStatus.CONFLICT, "Rollout " + rolloutId
                        + " has no completed full rollback: a root-cause record follows one"));
        RootCause recorded = new RootCause(UUID.randomUUID(), rolloutId, full.id(), summary, cause, List.copyOf(actions),
                safeguards == null ? new Safeguards(null, null, Map.of()) : safeguards, actor, clock.instant());
        jdbc.update("INSERT INTO root_cause (id, rollout_id, rollback_id, summary, cause, actions, safeguards, recorded_by,"
                + " recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", recorded.id(), rolloutId, full.id(), summary, cause,
                json.writeValueAsString(recorded.actions()), json.writeValueAsString(recorded.safeguards()), actor,
                Timestamp.from(recorded.recordedAt()));
        return recorded;
    }

    List<RootCause> of(UUID rolloutId) {
        return jdbc.query("SELECT id, rollout_id, rollback_id, summary, cause, actions, safeguards, recorded_by, recorded_at"
                + " FROM root_cause WHERE rollout_id = ? ORDER BY recorded_at, id", (rs, n) -> new RootCause(
                        rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                        rs.getString(4), rs.getString(5), json.readValue(rs.getString(6), new TypeReference<List<String>>() {
                        }), json.readValue(rs.getString(7), Safeguards.class), rs.getString(8),
                        rs.getTimestamp(9).toInstant()), rolloutId);
    }
}
