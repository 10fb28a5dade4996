package dev.rollout.pilotservice.grant;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.rollout.pilotservice.roster.Pilot;
import dev.rollout.pilotservice.roster.Roster;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Owner-level permissions of the pilots on a rollout: granted on activation, revoked on rollback or completion. */
@Service
public class PilotGrants {

    public static final String OWNER = "OWNER";

    /** One pilot's grant on a rollout. */
    public record Holding(String pilotId, String name, String group, int wing, int squadron, String permission,
            Instant since, String grantedBy, Instant revokedAt, String revokedBy) {
    }

    /** What an activation or revocation changed. */
    public record Change(UUID rolloutId, String action, int pilots, int changed) {
    }

    public record AuditEntry(String pilotId, String action, String actor, String reason, Instant at) {
    }

    private final Roster roster;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    PilotGrants(Roster roster, JdbcTemplate jdbc, Clock clock) {
        this.roster = roster;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Grants owner-level permission on the rollout to every pilot of the roster. Idempotent. */
    @Transactional
    public Change activate(UUID rolloutId, String actor, String reason) {
        List<Pilot> pilots = roster.complete();
        Timestamp now = Timestamp.from(clock.instant());
        int changed = 0;
        for (Pilot pilot : pilots) {
            int inserted = jdbc.update("INSERT INTO pilot_grant (rollout_id, pilot_id, permission, granted_by, granted_at)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", rolloutId, pilot.id(), OWNER, actor, now);
            int renewed = inserted == 1 ? 0 : jdbc.update("UPDATE pilot_grant SET granted_by = ?, granted_at = ?,"
                    + " revoked_by = NULL, revoked_at = NULL WHERE rollout_id = ? AND pilot_id = ? AND revoked_at IS NOT NULL",
                    actor, now, rolloutId, pilot.id());
            if (inserted + renewed > 0) {
                audit(rolloutId, pilot.id(), "GRANT", actor, reason, now);
                changed++;
            }
        }
        return new Change(rolloutId, "GRANT", pilots.size(), changed);
    }

    /** Revokes every pilot's permission on the rollout (rollback or completion). Idempotent. */
    @Transactional
    public Change revoke(UUID rolloutId, String actor, String reason) {
        Timestamp now = Timestamp.from(clock.instant());
        List<String> holders = jdbc.queryForList("SELECT pilot_id FROM pilot_grant WHERE rollout_id = ? AND revoked_at IS NULL",
                String.class, rolloutId);
        jdbc.update("UPDATE pilot_grant SET revoked_by = ?, revoked_at = ? WHERE rollout_id = ? AND revoked_at IS NULL",
                actor, now, rolloutId);
        holders.forEach(pilot -> audit(rolloutId, pilot, "REVOKE", actor, reason, now));
        int total = jdbc.queryForObject("SELECT count(*) FROM pilot_grant WHERE rollout_id = ?", Integer.class, rolloutId);
        return new Change(rolloutId, "REVOKE", total, holders.size());
    }

    /** Whether the pilot holds an active grant on the rollout. */
    @Transactional(readOnly = true)
    public boolean holds(UUID rolloutId, String pilotId) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM pilot_grant WHERE rollout_id = ? AND pilot_id = ?"
                + " AND revoked_at IS NULL", Integer.class, rolloutId, pilotId);
        return n != null && n > 0;
    }

    @Transactional(readOnly = true)
    public List<Holding> holdings(UUID rolloutId) {
        return jdbc.query("SELECT g.pilot_id, p.name, p.pilot_group, p.wing, p.squadron, g.permission, g.granted_at,"
                + " g.granted_by, g.revoked_at, g.revoked_by FROM pilot_grant g LEFT JOIN pilot p ON p.id = g.pilot_id"
                + " WHERE g.rollout_id = ? ORDER BY p.pilot_group, p.wing, p.squadron, g.pilot_id", (rs, n) -> new Holding(
                        rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5), rs.getString(6),
                        rs.getTimestamp(7).toInstant(), rs.getString(8),
                        rs.getTimestamp(9) == null ? null : rs.getTimestamp(9).toInstant(), rs.getString(10)), rolloutId);
    }

    @Transactional(readOnly = true)
    public List<AuditEntry> audit(UUID rolloutId) {
        return jdbc.query("SELECT pilot_id, action, actor, reason, at FROM grant_audit WHERE rollout_id = ? ORDER BY id",
                (rs, n) -> new AuditEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant()), rolloutId);
    }

    private void audit(UUID rolloutId, String pilotId, String action, String actor, String reason, Timestamp at) {
        jdbc.update("INSERT INTO grant_audit (rollout_id, pilot_id, action, actor, reason, at) VALUES (?, ?, ?, ?, ?, ?)",
                rolloutId, pilotId, action, actor, reason, at);
    }
}
