package dev.rollout.phaseengine.reconcile;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.rollout.phaseengine.leadership.LeaderLease;
import dev.rollout.phaseengine.leadership.Leadership;
import dev.rollout.phaseengine.report.ReportSchedule;
import dev.rollout.phaseengine.rollout.Rollout;
import dev.rollout.phaseengine.rollout.RolloutStatus;
import dev.rollout.phaseengine.rollout.Rollouts;
import dev.rollout.starter.observability.LogFields;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The reconcile loop: on every pass, the replica that holds the lease (and only it) reconciles each active
 * rollout in turn. One rollout's failure never stops the others; a lost lease stops the pass.
 */
public class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private static final List<RolloutStatus> ACTIVE = List.of(RolloutStatus.DEVELOPMENT, RolloutStatus.PILOT,
            RolloutStatus.EXPANSION, RolloutStatus.PRODUCTION);

    private final Leadership leadership;
    private final Rollouts rollouts;
    private final RolloutReconciler reconciler;
    private final Counter passes;
    private final Counter failures;
    private volatile Instant lastPass;

    private final ReportSchedule reports;

    Reconciler(Leadership leadership, Rollouts rollouts, RolloutReconciler reconciler, MeterRegistry meters,
            ReportSchedule reports) {
        this.reports = reports;
        this.leadership = leadership;
        this.rollouts = rollouts;
        this.reconciler = reconciler;
        this.passes = Counter.builder("rollout.reconcile.passes").description("Passes of the reconcile loop as leader")
                .register(meters);
        this.failures = Counter.builder("rollout.reconcile.failures")
                .description("Rollouts whose reconciliation failed in a pass (retried on the next)").register(meters);
    }

    /** One pass; true when this replica led it. */
    public boolean tick() {
        Optional<LeaderLease.Held> held = leadership.lead();
        if (held.isEmpty()) {
            return false;
        }
        passes.increment();
        lastPass = Instant.now();
        for (UUID id : rollouts.findIdsByStatusIn(ACTIVE)) {
            // every line logged while reconciling it names the rollout (a field of its own in structured logs)
            MDC.put(LogFields.ROLLOUT, id.toString());
            try {
                Optional<Rollout> rollout = rollouts.findById(id);
                rollout.ifPresent(r -> reconciler.reconcile(r, held.get()));
            }
            catch (LeaderLease.LostLeadership e) {
                log.warn("{}: this pass stops", e.getMessage());
                return false;
            }
            catch (Steps.Changed e) {
                log.debug("{}; read again on the next pass", e.getMessage());
            }
            catch (RuntimeException e) {
                failures.increment();
                log.warn("Reconciling rollout {} failed; retried on the next pass", id, e);
            }
            finally {
                MDC.remove(LogFields.ROLLOUT);
            }
        }
        try {
            reports.run();
        }
        catch (RuntimeException e) {
            log.warn("Scheduled reports failed; tried again on the next pass", e);
        }
        return true;
    }

    public Instant lastPass() {
        return lastPass;
    }
}
