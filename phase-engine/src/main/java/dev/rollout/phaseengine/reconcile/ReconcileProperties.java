package dev.rollout.phaseengine.reconcile;

import java.time.Duration;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The reconcile loop.
 *
 * @param enabled            off only where another process reconciles (tests drive {@link Reconciler#tick()})
 * @param interval           real time between two passes over the active rollouts
 * @param leaseTtl           how long the leader's lease lasts without renewal (real time); a standby replica takes
 *                           over at most this long after the leader dies
 * @param evaluationInterval platform time between two gate evaluations of a rollout that is not yet ready to go
 *                           on (they catch a rollback trigger during a soak); a ready rollout is evaluated at once
 * @param failpoints         fault injection for crash drills: the process halts right after the side effect of
 *                           a step of these kinds, before its outcome is committed (ENTER_PILOT, ENTER_EXPANSION,
 *                           ACTIVATE_BATCH, ENTER_PRODUCTION, COMPLETE, ROLLBACK). Empty in production.
 * @param stalls             fault injection for leadership drills: after the side effect of a step of these kinds
 *                           the loop stalls for twice the lease (as in a long GC pause or a SIGSTOP) before it
 *                           tries to commit. Empty in production.
 */
@ConfigurationProperties("rollout.reconcile")
public record ReconcileProperties(Boolean enabled, Duration interval, Duration leaseTtl, Duration evaluationInterval,
        Set<StepKind> failpoints, Set<StepKind> stalls) {

    public ReconcileProperties {
        enabled = enabled == null || enabled;
        interval = interval == null ? Duration.ofSeconds(5) : interval;
        leaseTtl = leaseTtl == null ? Duration.ofSeconds(15) : leaseTtl;
        evaluationInterval = evaluationInterval == null ? Duration.ofHours(1) : evaluationInterval;
        failpoints = failpoints == null ? Set.of() : Set.copyOf(failpoints);
        stalls = stalls == null ? Set.of() : Set.copyOf(stalls);
        if (leaseTtl.compareTo(interval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("rollout.reconcile.lease-ttl (" + leaseTtl
                    + ") must be at least twice the interval (" + interval + ") so that the leader renews it in time");
        }
    }
}
