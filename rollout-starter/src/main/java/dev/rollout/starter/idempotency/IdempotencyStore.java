package dev.rollout.starter.idempotency;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The keys of one service, in its own schema. A key is claimed by inserting its row (the primary key makes
 * exactly one of two racing requests the first), completed with the response, or released when the first
 * request failed on the server's side so that a retry may run it. Times are real time, not the platform's.
 */
public class IdempotencyStore {

    /** What a request with a key may do. */
    public sealed interface Claim {
    }

    /** This request is the first: run it, then {@link #complete} or {@link #release}. */
    public record First() implements Claim {
    }

    /** A first request with the same key is still running. */
    public record InFlight(Instant since) implements Claim {
    }

    /** The key was used for another request (method, path or body). */
    public record Mismatch(String method, String path) implements Claim {
    }

    /** The stored answer to replay. */
    public record Replay(int status, String contentType, String location, String body) implements Claim {
    }

    private final JdbcTemplate jdbc;
    private final IdempotencyProperties properties;
    private final Clock clock = Clock.systemUTC();
    private volatile Instant lastPurge = Instant.EPOCH;

    public IdempotencyStore(JdbcTemplate jdbc, IdempotencyProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /**
     * The path as kept to name it in a refusal; the fingerprint covers it whole, so a longer one is cut here (the
     * column holds 1,000 characters) without two requests that differ past the cut matching.
     */
    private static String shown(String path) {
        return path.length() <= 1000 ? path : path.substring(0, 997) + "...";
    }

    public Claim claim(String principal, String key, String fingerprint, String method, String path) {
        purgeExpired();
        for (int attempt = 0; attempt < 3; attempt++) {
            Timestamp now = Timestamp.from(clock.instant());
            try {
                jdbc.update("INSERT INTO idempotency_key (principal, idem_key, fingerprint, method, path, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)", principal, key, fingerprint, method, shown(path), now);
                return new First();
            }
            catch (DuplicateKeyException taken) {
                List<Claim> existing = jdbc.query("SELECT fingerprint, method, path, status, content_type, location, body,"
                        + " created_at FROM idempotency_key WHERE principal = ? AND idem_key = ?", (rs, n) -> {
                            if (!rs.getString(1).equals(fingerprint)) {
                                return new Mismatch(rs.getString(2), rs.getString(3));
                            }
                            int status = rs.getInt(4);
                            if (rs.wasNull()) {
                                return new InFlight(rs.getTimestamp(8).toInstant());
                            }
                            return new Replay(status, rs.getString(5), rs.getString(6), rs.getString(7));
                        }, principal, key);
                if (existing.isEmpty()) {
                    continue; // released meanwhile: claim it again
                }
                Claim claim = existing.get(0);
                if (claim instanceof InFlight inFlight
                        && inFlight.since().plus(properties.inFlightTimeout()).isBefore(clock.instant())) {
                    // the first request's process died: whoever moves the stale row takes over
                    int taken2 = jdbc.update("UPDATE idempotency_key SET created_at = ? WHERE principal = ? AND idem_key = ?"
                            + " AND status IS NULL AND created_at = ?", now, principal, key, Timestamp.from(inFlight.since()));
                    if (taken2 == 1) {
                        return new First();
                    }
                    continue;
                }
                return claim;
            }
        }
        return new InFlight(clock.instant());
    }

    public void complete(String principal, String key, int status, String contentType, String location, String body) {
        jdbc.update("UPDATE idempotency_key SET status = ?, content_type = ?, location = ?, body = ?, completed_at = ?"
                + " WHERE principal = ? AND idem_key = ?", status, contentType, location, body,
                Timestamp.from(clock.instant()), principal, key);
    }

    /** The first request failed on the server's side (or was refused before it ran): a retry may run it. */
    public void release(String principal, String key) {
        jdbc.update("DELETE FROM idempotency_key WHERE principal = ? AND idem_key = ? AND status IS NULL", principal, key);
    }

    private void purgeExpired() {
        Instant now = clock.instant();
        if (lastPurge.plusSeconds(600).isBefore(now)) {
            lastPurge = now;
            jdbc.update("DELETE FROM idempotency_key WHERE created_at < ?",
                    Timestamp.from(now.minus(properties.retention())));
        }
    }
}
