package dev.rollout.phaseengine.leadership;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's side of the leader election: it tries to take or renew the lease on every pass of the
 * reconcile loop, says whether it leads, fences each write and gives the lease up on shutdown.
 */
public class Leadership {

    private static final Logger log = LoggerFactory.getLogger(Leadership.class);

    /** What this replica knows about the lease, for operators. */
    public record Status(String replica, boolean leading, Long fencingToken, Instant lastAttempt, long refusedWrites) {
    }

    private final LeaderLease lease;
    private final String replica;
    private volatile LeaderLease.Held held;
    private volatile Instant lastAttempt;
    private final AtomicLong refusedWrites = new AtomicLong();

    public Leadership(LeaderLease lease) {
        this.lease = lease;
        this.replica = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Takes or renews the lease: the lease held now, or empty when another replica leads. */
    public Optional<LeaderLease.Held> lead() {
        lastAttempt = Instant.now();
        Optional<LeaderLease.Held> now;
        try {
            now = lease.acquire(replica);
        }
        catch (RuntimeException e) {
            log.warn("Cannot reach the lease: not leading ({})", e.getMessage());
            now = Optional.empty();
        }
        LeaderLease.Held before = held;
        held = now.orElse(null);
        if (before == null && held != null) {
            log.info("Leading the reconcile loop as {} (fencing token {})", replica, held.token());
        }
        else if (before != null && held == null) {
            log.warn("Lost the reconcile lease (token {}): standing by", before.token());
        }
        return now;
    }

    /** Inside a writing transaction: refuses unless this replica still holds {@code held}. */
    public void fence(LeaderLease.Held held) {
        try {
            lease.fence(held);
        }
        catch (LeaderLease.LostLeadership e) {
            refusedWrites.incrementAndGet();
            this.held = null;
            throw e;
        }
    }

    public Status status() {
        LeaderLease.Held current = held;
        return new Status(replica, current != null, current == null ? null : current.token(), lastAttempt,
                refusedWrites.get());
    }

    @PreDestroy
    void release() {
        LeaderLease.Held current = held;
        if (current != null) {
            try {
                lease.release(current);
                log.info("Released the reconcile lease (token {})", current.token());
            }
            catch (RuntimeException e) {
                log.warn("Could not release the lease; it expires on its own ({})", e.getMessage());
            }
        }
    }
}
