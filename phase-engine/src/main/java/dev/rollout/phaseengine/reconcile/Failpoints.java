package dev.rollout.phaseengine.reconcile;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crash and stall points between a step's side effect and its commit, set by {@code rollout.reconcile.failpoints}
 * and {@code .stalls} (empty unless a test of the exactly-once guarantees sets them): the process halts there, or
 * waits past its lease.
 */
final class Failpoints {

    private static final Logger log = LoggerFactory.getLogger(Failpoints.class);

    private Failpoints() {
    }

    static void afterSideEffect(ReconcileProperties properties, StepKind kind, String key) {
        if (properties.failpoints().contains(kind)) {
            log.error("Failpoint {}: halting after the side effect of {} and before its commit", kind, key);
            Runtime.getRuntime().halt(137);
        }
        if (properties.stalls().contains(kind)) {
            Duration stall = properties.leaseTtl().multipliedBy(2);
            log.error("Stall {}: {} waits {} before its commit", kind, key, stall);
            try {
                Thread.sleep(stall.toMillis());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
