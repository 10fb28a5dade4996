package dev.rollout.rollbackservice.rollback;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.rollout.starter.web.ProblemException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * After a partial rollback: a component's fixed version is re-deployed to the agents already activated (a pin
 * in cluster-batcher, which later batches get too), and once every component of that rollback has its fix,
 * the rollout continues in its phase. Each call carries a key derived from (rollback, component, version), so a
 * retry repeats nothing.
 */
@Component
class ComponentFixes {

    /** What a fix did. */
    record Fixed(UUID rollbackId, String component, String version, long agents, Map<String, String> fixes,
            List<String> awaitingFix, String rolloutStatus) {
    }

    private final Rollbacks rollbacks;
    private final Downstream downstream;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    ComponentFixes(Rollbacks rollbacks, Downstream downstream, JdbcTemplate jdbc, Clock clock) {
        this.rollbacks = rollbacks;
        this.downstream = downstream;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    Fixed fix(UUID rolloutId, String component, String version, String reason, String actor) {
        Rollback rollback = rollbacks.findByRolloutIdOrderByRequestedAtDesc(rolloutId).stream().findFirst()
                .orElseThrow(() -> new ProblemException(HttpStatus.CONFLICT, "Rollout " + rolloutId
                        + " has no rollback: a fix follows a partial rollback of the component"));
        if (rollback.scope() != RollbackScope.PARTIAL || rollback.status() != RollbackStatus.COMPLETED
                || !rollback.components().contains(component)) {
            throw new ProblemException(HttpStatus.CONFLICT, "The last rollback of rollout " + rolloutId + " ("
                    + rollback.id() + ") is a " + rollback.status() + " " + rollback.scope() + " rollback of "
                    + (rollback.components().isEmpty() ? "every component" : String.join(", ", rollback.components()))
                    + "; a fix of '" + component + "' follows a completed partial rollback of it")
                    .with("rollbackId", rollback.id());
        }
        int updated = jdbc.update("UPDATE component_fix SET version = ?, reason = ?, fixed_by = ?, fixed_at = ?"
                + " WHERE rollback_id = ? AND component = ?", version, reason, actor, Timestamp.from(clock.instant()),
                rollback.id(), component);
        if (updated == 0) {
            jdbc.update("INSERT INTO component_fix (rollback_id, component, version, reason, fixed_by, fixed_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?)", rollback.id(), component, version, reason, actor,
                    Timestamp.from(clock.instant()));
        }
        long agents;
        try {
            agents = downstream.pinFix(rolloutId, component, version, reason == null ? "fix " + version : reason,
                    "fix:" + rollback.id() + ":" + component + ":" + version);
        }
        catch (Downstream.Failed e) {
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "The fix is recorded but not yet re-deployed: "
                    + e.getMessage() + "; repeat the request (with the same Idempotency-Key)");
        }
        Map<String, String> fixes = new LinkedHashMap<>();
        jdbc.query("SELECT component, version FROM component_fix WHERE rollback_id = ? ORDER BY component",
                rs -> {
                    fixes.put(rs.getString(1), rs.getString(2));
                }, rollback.id());
        List<String> awaiting = rollback.components().stream().filter(c -> !fixes.containsKey(c)).toList();
        String status = null;
        if (awaiting.isEmpty()) {
            try {
                status = downstream.continueRollout(rolloutId, fixes, "continue:" + rollback.id() + ":"
                        + Integer.toHexString(new TreeMap<>(fixes).toString().hashCode()));
            }
            catch (Downstream.Failed e) {
                throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "The fix is re-deployed to " + agents
                        + " agents but the rollout did not continue: " + e.getMessage() + "; repeat the request");
            }
        }
        return new Fixed(rollback.id(), component, version, agents, fixes, awaiting, status);
    }
}
