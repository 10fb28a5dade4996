package dev.rollout.phaseengine.reconcile;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

import dev.rollout.phaseengine.client.MetricsGateClient.Verdict;
import dev.rollout.phaseengine.leadership.LeaderLease;
import dev.rollout.phaseengine.rollout.Condition;
import dev.rollout.phaseengine.rollout.EvaluationSummary;
import dev.rollout.phaseengine.rollout.PauseReason;
import dev.rollout.phaseengine.rollout.Rollout;
import dev.rollout.phaseengine.rollout.RolloutPlan;
import dev.rollout.phaseengine.rollout.RolloutStatus;
import dev.rollout.starter.observability.LogFields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * One pass over one active rollout: observe where it stands, ask the gate when its verdict could change
 * something, and take at most one step. PASS, with the minimum soak (and the batch's observation window)
 * elapsed and the approval given where the plan asks for one, takes the next step; HOLD at that point
 * pauses with the gate's reasons; ROLLBACK at any time asks rollback-service to roll back with the verdict's
 * scope; the maximum soak passed without a PASS pauses. A dependency that does not answer leaves the
 * rollout where it is, with the condition shown. A step with a side effect is recorded, done with the
 * Idempotency-Key of (rollout, step), then committed with its transition: after a crash in between, the
 * same step runs again with the same key and the other service answers it from the first time.
 */
@Component
class RolloutReconciler {

    private static final Logger log = LoggerFactory.getLogger(RolloutReconciler.class);

    private final Dependencies dependencies;
    private final Steps steps;
    private final StepExecution execution;
    private final ReconcileProperties properties;
    private final Clock clock;

    RolloutReconciler(Dependencies dependencies, Steps steps, StepExecution execution, ReconcileProperties properties,
            Clock clock) {
        this.dependencies = dependencies;
        this.steps = steps;
        this.execution = execution;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * One pass over a rollout in a phase: hand the plan's gate policy to the gate first; then the gate's current
     * verdict on where the rollout stands (asked anew when due); then what the verdict and the soak times call for.
     */
    void reconcile(Rollout rollout, LeaderLease.Held held) {
        if (!rollout.status().isPhase()) {
            return;
        }
        RolloutPlan plan = rollout.plan();
        if ((!plan.kpiOverrides().isEmpty() || !plan.userTypes().isEmpty()) && !steps.done(rollout.id(), "gate-policy")) {
            applyGatePolicy(rollout, held);
            return;
        }
        if (rollout.status() == RolloutStatus.EXPANSION && rollout.batch() == 0) {
            activateBatch(rollout, 1, null, held); // the pilot gate has just passed: the first batch goes at once
            return;
        }
        Instant now = clock.instant();
        Position at = Position.of(rollout, now);
        List<Condition> conditions = at.conditions();
        EvaluationSummary verdict;
        try {
            verdict = currentVerdict(rollout, at, now);
        }
        catch (Dependencies.Unavailable e) {
            conditions.add(StepExecution.unavailable(e, now));
            steps.observe(rollout, conditions, null, held);
            return;
        }
        if (verdict == null || !sameTargetAfter(verdict, rollout, at)) {
            steps.observe(rollout, conditions, verdict, held);
            return;
        }
        conditions.add(gateCondition(verdict, now));
        act(rollout, at, verdict, conditions, held, now);
    }

    /** The plan's KPI overrides and user types, handed to the gate once, before its first verdict. */
    private void applyGatePolicy(Rollout rollout, LeaderLease.Held held) {
        RolloutPlan plan = rollout.plan();
        execution.step(rollout, StepKind.APPLY_GATE_POLICY, "gate-policy", null, held, key -> {
            List<String> done = new ArrayList<>();
            if (!plan.kpiOverrides().isEmpty()) {
                dependencies.applyKpiPolicy(rollout, key + ":kpi-policy");
                done.add("KPI overrides " + new TreeMap<>(plan.kpiOverrides()));
            }
            if (!plan.userTypes().isEmpty()) {
                dependencies.declareUserTypes(rollout, key + ":user-types");
                done.add("user types " + plan.userTypes());
            }
            return "handed to the gate: " + String.join("; ", done);
        }, r -> List.of());
    }

    /**
     * The last verdict where it still speaks for where the rollout stands, or a new one: when the last is for another
     * phase or batch, older than the evaluation interval, or not a PASS given since the rollout became ready (a HOLD
     * that the gate measures again is asked anew after the interval, not at once).
     */
    private EvaluationSummary currentVerdict(Rollout rollout, Position at, Instant now) {
        EvaluationSummary last = rollout.lastEvaluation();
        boolean sameTarget = last != null && last.phase().equals(rollout.phase().name())
                && Objects.equals(last.batch(), at.batch()) && !last.evaluatedAt().isBefore(at.since());
        boolean sinceReady = sameTarget && !last.evaluatedAt().isBefore(at.readyFrom());
        boolean freshPass = sinceReady && last.verdict() == Verdict.PASS;
        boolean measuredAgain = sinceReady && last.measuredAgain();
        boolean due = !sameTarget || !now.isBefore(last.evaluatedAt().plus(properties.evaluationInterval()))
                || (at.ready() && !freshPass && !measuredAgain);
        if (!due) {
            return last;
        }
        // one key per question asked: repeating a pass that crashed asks the same one, a new interval a new one
        String key = rollout.id() + ":gate:" + rollout.phase() + (at.batch() == null ? "" : ":" + at.batch()) + ":"
                + rollout.statusSince().toEpochMilli() + ":" + (!at.ready() ? "watch-" + now.getEpochSecond()
                        / Math.max(1, properties.evaluationInterval().toSeconds())
                        : measuredAgain ? "ready-after-" + last.id() : "ready");
        return dependencies.evaluate(rollout, at.batch(), at.since(), key);
    }

    /**
     * ROLLBACK rolls back; PASS advances once the soak is done; a HOLD pauses once the rollout would have advanced,
     * unless the gate measures again (within the KPIs' inconclusive limit).
     */
    private void act(Rollout rollout, Position at, EvaluationSummary verdict, List<Condition> conditions,
            LeaderLease.Held held, Instant now) {
        List<Condition> answered = withDependencies(conditions, now);
        switch (verdict.verdict()) {
            case ROLLBACK -> rollback(steps.observe(rollout, carried(conditions, rollout), verdict, held), verdict, held);
            case PASS -> {
                if (at.ready()) {
                    advance(steps.observe(rollout, carried(conditions, rollout), verdict, held), verdict, held);
                }
                else if (at.maxSoakPassed()) {
                    pause(steps.observe(rollout, answered, verdict, held), PauseReason.MAX_SOAK_PASSED,
                            at.maxSoakMessage() + "; " + at.waitingFor(), verdict, held);
                }
                else {
                    steps.observe(rollout, answered, verdict, held);
                }
            }
            default -> {
                Rollout observed = steps.observe(rollout, answered, verdict, held);
                if (at.ready() && !verdict.measuredAgain()) {
                    pause(observed, PauseReason.INCONCLUSIVE_GATE, "Gate " + verdict.verdict() + ": "
                            + String.join("; ", verdict.reasons()), verdict, held);
                }
                else if (at.maxSoakPassed()) {
                    pause(observed, PauseReason.MAX_SOAK_PASSED, at.maxSoakMessage() + " without a PASS: "
                            + String.join("; ", verdict.reasons()), verdict, held);
                }
            }
        }
    }

    private static boolean sameTargetAfter(EvaluationSummary verdict, Rollout rollout, Position at) {
        return verdict.phase().equals(rollout.phase().name()) && Objects.equals(verdict.batch(), at.batch());
    }

    private void advance(Rollout rollout, EvaluationSummary verdict, LeaderLease.Held held) {
        String because = "Gate PASS" + (verdict.batch() == null ? "" : " for batch " + verdict.batch());
        switch (rollout.status()) {
            case DEVELOPMENT -> execution.step(rollout, StepKind.ENTER_PILOT, "enter-pilot", verdict, held, key -> {
                dependencies.activatePilots(rollout, key);
                return "pilots granted";
            }, r -> List.of(r.advance(because + ": Phase 1 passed; pilots activated", clock.instant())));
            case PILOT -> {
                int[] batches = new int[1];
                execution.step(rollout, StepKind.ENTER_EXPANSION, "enter-expansion", verdict, held, key -> {
                    batches[0] = dependencies.freezeBatchPlan(rollout, key);
                    return "batch plan frozen: " + batches[0] + " batches";
                }, r -> {
                    r.batchPlanFrozen(batches[0]);
                    return List.of(r.advance(because + ": Phase 2 passed; batch plan frozen with "
                            + batches[0] + " batches", clock.instant()));
                });
            }
            case EXPANSION -> {
                if (rollout.batch() < rollout.batches()) {
                    activateBatch(rollout, rollout.batch() + 1, verdict, held);
                }
                else {
                    execution.step(rollout, StepKind.ENTER_PRODUCTION, "enter-production", verdict, held, key -> {
                        dependencies.activateFleet(rollout, key);
                        return "fleet activated";
                    }, r -> List.of(r.advance(because + ": every batch passed; the whole fleet activated",
                            clock.instant())));
                }
            }
            case PRODUCTION -> execution.step(rollout, StepKind.COMPLETE, "complete", verdict, held, key -> "completed",
                    r -> List.of(r.advance(because + ": Phase 4 passed", clock.instant())));
            default -> {
            }
        }
    }

    private void activateBatch(Rollout rollout, int number, EvaluationSummary verdict, LeaderLease.Held held) {
        String why = verdict == null ? "Phase 3 starts" : "Gate PASS for batch " + verdict.batch();
        try (MDC.MDCCloseable batch = MDC.putCloseable(LogFields.BATCH, Integer.toString(number))) {
            execution.step(rollout, StepKind.ACTIVATE_BATCH, "activate-batch-" + number, verdict, held, key -> {
                dependencies.activateBatch(rollout, number, key);
                return "batch " + number + " activated";
            }, r -> List.of(r.activateNextBatch(why + ": batch " + number + " of " + r.batches() + " activated",
                    clock.instant())));
        }
    }

    private void rollback(Rollout rollout, EvaluationSummary verdict, LeaderLease.Held held) {
        String[] id = new String[1];
        execution.step(rollout, StepKind.ROLLBACK, "rollback-" + verdict.id(), verdict, held, key -> {
            id[0] = dependencies.requestRollback(rollout, verdict, key).toString();
            return "rollback " + id[0] + " requested";
        }, r -> List.of(r.haltForRollback("Gate ROLLBACK (" + verdict.scope() + "): "
                + String.join("; ", verdict.reasons()) + "; rollback " + id[0], clock.instant())));
    }

    private void pause(Rollout rollout, PauseReason reason, String message, EvaluationSummary verdict,
            LeaderLease.Held held) {
        steps.commit(rollout, null, null, verdict == null ? null : verdict.link(), held,
                r -> List.of(r.pause(reason, message, clock.instant())));
        log.info("Rollout {} paused ({}): {}", rollout.id(), reason, message);
    }

    private static Condition gateCondition(EvaluationSummary verdict, Instant now) {
        return new Condition(Condition.GATE, verdict.verdict() == Verdict.PASS, verdict.verdict().name(),
                (verdict.reasons().isEmpty() ? "every criterion met" : String.join("; ", verdict.reasons()))
                        + " (" + verdict.link() + ")", now);
    }

    /** The conditions with the dependencies' condition as the last pass left it (a step is about to tell). */
    private static List<Condition> carried(List<Condition> conditions, Rollout rollout) {
        List<Condition> out = new ArrayList<>(conditions);
        rollout.conditions().stream().filter(c -> c.type().equals(Condition.DEPENDENCIES)).findFirst().ifPresent(out::add);
        return out;
    }

    private static List<Condition> withDependencies(List<Condition> conditions, Instant now) {
        List<Condition> out = new ArrayList<>(conditions);
        out.add(new Condition(Condition.DEPENDENCIES, true, "Answering", "every service answered", now));
        return out;
    }
}
