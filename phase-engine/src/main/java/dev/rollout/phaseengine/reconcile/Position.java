package dev.rollout.phaseengine.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.rollout.phaseengine.rollout.Condition;
import dev.rollout.phaseengine.rollout.Rollout;
import dev.rollout.phaseengine.rollout.RolloutPlan;
import dev.rollout.phaseengine.rollout.RolloutStatus;

/** Where a rollout stands against its plan at {@code now}: what it waits for, and whether it is ready. */
record Position(Rollout rollout, Instant now, RolloutPlan.PhasePlan plan, Instant soakEnds, Instant windowEnds,
        boolean soaked, boolean approved, boolean observed, boolean lastBatch) {

    static Position of(Rollout rollout, Instant now) {
        RolloutPlan plan = rollout.plan();
        RolloutPlan.PhasePlan phase = plan.phases().get(rollout.phase());
        Instant soakEnds = rollout.phaseStartedAt().plus(phase.minSoak());
        boolean expansion = rollout.status() == RolloutStatus.EXPANSION;
        Instant windowEnds = expansion ? rollout.batchActivatedAt().plus(plan.observationWindow()) : null;
        return new Position(rollout, now, phase, soakEnds, windowEnds,
                rollout.promoted() || !now.isBefore(soakEnds),
                !Boolean.TRUE.equals(phase.approval()) || rollout.approved(),
                !expansion || rollout.promoted() || !now.isBefore(windowEnds),
                !expansion || rollout.batch() >= rollout.batches());
    }

    boolean ready() {
        return observed && (!lastBatch || (soaked && approved));
    }

    Integer batch() {
        return rollout.status() == RolloutStatus.EXPANSION ? rollout.batch() : null;
    }

    /** Evidence counts from the start of the phase, or of the batch's activation. */
    Instant since() {
        return windowEnds != null ? rollout.batchActivatedAt() : rollout.phaseStartedAt();
    }

    /** From when a PASS lets the rollout go on: it must have been measured after the waiting ended. */
    Instant readyFrom() {
        Instant from = since();
        if (lastBatch && !rollout.promoted() && soakEnds.isAfter(from)) {
            from = soakEnds;
        }
        if (windowEnds != null && !rollout.promoted() && windowEnds.isAfter(from)) {
            from = windowEnds;
        }
        return from;
    }

    boolean maxSoakPassed() {
        return plan.maxSoak() != null && !rollout.maxSoakWaived()
                && now.isAfter(rollout.phaseStartedAt().plus(plan.maxSoak()));
    }

    String maxSoakMessage() {
        return "The maximum soak of " + rollout.phase() + " (" + human(plan.maxSoak()) + ") passed";
    }

    String waitingFor() {
        List<String> waiting = new ArrayList<>();
        if (!soaked) {
            waiting.add("the minimum soak until " + soakEnds);
        }
        if (!approved) {
            waiting.add("an approval");
        }
        if (!observed) {
            waiting.add("the observation window until " + windowEnds);
        }
        return waiting.isEmpty() ? "ready" : "waiting for " + String.join(" and ", waiting);
    }

    List<Condition> conditions() {
        List<Condition> out = new ArrayList<>();
        out.add(new Condition(Condition.SOAKED, soaked, rollout.promoted() ? "Promoted" : soaked ? "Elapsed" : "Soaking",
                "minimum soak of " + rollout.phase() + " " + human(plan.minSoak()) + (rollout.promoted()
                        ? " skipped by a promotion" : (soaked ? " ended at " : " ends at ") + soakEnds), now));
        if (Boolean.TRUE.equals(plan.approval())) {
            out.add(new Condition(Condition.APPROVED, approved, approved ? "Approved" : "AwaitingApproval",
                    approved ? "leaving " + rollout.phase() + " is approved"
                            : "leaving " + rollout.phase() + " needs a release manager's approval", now));
        }
        if (windowEnds != null) {
            out.add(new Condition(Condition.OBSERVED, observed, observed ? "Observed" : "Observing",
                    "batch " + rollout.batch() + " of " + rollout.batches() + " observed until " + windowEnds, now));
        }
        return out;
    }

    private static String human(Duration duration) {
        if (duration == null) {
            return "none";
        }
        return duration.toDays() > 0 && duration.toHoursPart() == 0 ? duration.toDays() + " days"
                : duration.toString().substring(2).toLowerCase();
    }
}
