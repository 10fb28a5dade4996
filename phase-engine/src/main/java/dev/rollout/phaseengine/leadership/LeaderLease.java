package dev.rollout.phaseengine.leadership;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Leader election through PostgreSQL: a lease row with a holder, an expiry and a fencing token. A replica
 * acquires the lease when it is free or expired (the token goes up), keeps it by renewing before it
 * expires, and proves it still holds it inside every transaction that writes on the leader's behalf
 * ({@link #fence}): the check locks the lease row until the transaction ends, so a takeover waits for it,
 * and a replica that was paused past its lease (SIGSTOP, a long GC) finds its token stale and writes
 * nothing. Expiry is judged by the database's clock, the one clock every replica shares. Acquiring and
 * releasing need no transaction of their own: each statement is atomic on its own conditions.
 */
public class LeaderLease {

    /** The lease as this replica holds it. */
    public record Held(String holder, long token) {
    }

    /** A write attempted without the lease: nothing was written. */
    public static final class LostLeadership extends RuntimeException {
        LostLeadership(String message) {
            super(message);
        }
    }

    private final JdbcTemplate jdbc;
    private final String name;
    private final Duration ttl;

    public LeaderLease(JdbcTemplate jdbc, String name, Duration ttl) {
        this.jdbc = jdbc;
        this.name = name;
        this.ttl = ttl;
    }

    /**
     * Takes the lease if it is free, expired, or already ours (then renews it). Empty when another replica
     * holds a lease that has not expired.
     */
    public Optional<Held> acquire(String holder) {
        Timestamp expires = expiry();
        int renewed = jdbc.update("UPDATE leader_lease SET expires_at = ? WHERE name = ? AND holder = ?"
                + " AND expires_at > CURRENT_TIMESTAMP", expires, name, holder);
        if (renewed == 0) {
            int taken = jdbc.update("UPDATE leader_lease SET holder = ?, fencing_token = fencing_token + 1,"
                    + " acquired_at = CURRENT_TIMESTAMP, expires_at = ? WHERE name = ?"
                    + " AND (holder IS NULL OR expires_at IS NULL OR expires_at <= CURRENT_TIMESTAMP)", holder, expires, name);
            if (taken == 0) {
                return Optional.empty();
            }
        }
        List<Long> token = jdbc.queryForList("SELECT fencing_token FROM leader_lease WHERE name = ? AND holder = ?",
                Long.class, name, holder);
        return token.isEmpty() ? Optional.empty() : Optional.of(new Held(holder, token.get(0)));
    }

    /**
     * Inside a writing transaction: refuses (and so rolls the transaction back) unless {@code held} is still
     * the lease's holder and token and the lease has not expired. Locks the lease row until commit.
     */
    public void fence(Held held) {
        List<Long> rows = jdbc.queryForList("SELECT fencing_token FROM leader_lease WHERE name = ? AND holder = ?"
                + " AND fencing_token = ? AND expires_at > CURRENT_TIMESTAMP FOR UPDATE", Long.class, name, held.holder(),
                held.token());
        if (rows.isEmpty()) {
            throw new LostLeadership(held.holder() + " no longer holds the " + name + " lease (token " + held.token()
                    + "); the write was refused");
        }
    }

    /** Gives the lease up (on shutdown), so another replica takes over at once. */
    public void release(Held held) {
        jdbc.update("UPDATE leader_lease SET holder = NULL, expires_at = NULL WHERE name = ? AND holder = ?"
                + " AND fencing_token = ?", name, held.holder(), held.token());
    }

    private Timestamp expiry() {
        Timestamp now = jdbc.queryForObject("SELECT CURRENT_TIMESTAMP", Timestamp.class);
        return new Timestamp(now.getTime() + ttl.toMillis());
    }
}
