package dev.rollout.clusterbatcher.fleet;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Serialises the writers of ranks (imports, registrations, deregistrations) and the freezing of plans,
 * for the rest of the current transaction, across every replica.
 */
@Component
public class FleetLock {

    private final JdbcTemplate jdbc;

    FleetLock(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void acquire() {
        jdbc.queryForObject("SELECT id FROM fleet_lock WHERE id = 1 FOR UPDATE", Integer.class);
    }

    /** Takes the lock if nobody holds it now; never waits. */
    public boolean tryAcquire() {
        return !jdbc.queryForList("SELECT id FROM fleet_lock WHERE id = 1 FOR UPDATE SKIP LOCKED", Integer.class)
                .isEmpty();
    }
}
