package dev.rollout.phaseengine.rollout;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Every legal move of a rollout, in one table. A command that the table does not allow from the current
 * state is refused and changes nothing; nothing leaves COMPLETED or ROLLED_BACK.
 *
 * <pre>
 * START            DRAFT -> DEVELOPMENT
 * ADVANCE          DEVELOPMENT -> PILOT -> EXPANSION -> PRODUCTION -> COMPLETED (EXPANSION only after its last batch)
 * NEXT_BATCH       EXPANSION batch n -> n+1 (n below N)
 * APPROVE, PROMOTE a phase or PAUSED, no change of state: the approval to leave the phase, or its soak skipped
 * PAUSE            a phase -> PAUSED (remembering it)
 * RESUME           PAUSED -> the phase it paused
 * START_ROLLBACK   a phase, PAUSED, ABORTED or PARTIALLY_ROLLED_BACK -> ROLLING_BACK (an aborted rollout's agents
 *                  may still need their previous version)
 * FINISH_ROLLBACK  ROLLING_BACK -> ROLLED_BACK (full) or PARTIALLY_ROLLED_BACK (partial)
 * CONTINUE         PARTIALLY_ROLLED_BACK -> the phase it was in (after the fix)
 * ABORT            any state but the terminal ones and ABORTED -> ABORTED
 * RETRY            ABORTED or PAUSED -> the last good phase
 * </pre>
 */
public final class Transitions {

    public enum Command {
        START, ADVANCE, NEXT_BATCH, APPROVE, PROMOTE, PAUSE, RESUME, START_ROLLBACK, FINISH_ROLLBACK, CONTINUE, ABORT,
        RETRY
    }

    private static final Map<Command, Set<RolloutStatus>> ALLOWED_FROM = new EnumMap<>(Command.class);

    static {
        ALLOWED_FROM.put(Command.START, EnumSet.of(RolloutStatus.DRAFT));
        ALLOWED_FROM.put(Command.ADVANCE, EnumSet.copyOf(RolloutStatus.PHASES));
        ALLOWED_FROM.put(Command.NEXT_BATCH, EnumSet.of(RolloutStatus.EXPANSION));
        Set<RolloutStatus> annotate = EnumSet.copyOf(RolloutStatus.PHASES);
        annotate.add(RolloutStatus.PAUSED);
        ALLOWED_FROM.put(Command.APPROVE, annotate);
        ALLOWED_FROM.put(Command.PROMOTE, EnumSet.copyOf(annotate));
        ALLOWED_FROM.put(Command.PAUSE, EnumSet.copyOf(RolloutStatus.PHASES));
        ALLOWED_FROM.put(Command.RESUME, EnumSet.of(RolloutStatus.PAUSED));
        Set<RolloutStatus> rollbackFrom = EnumSet.copyOf(RolloutStatus.PHASES);
        rollbackFrom.add(RolloutStatus.PAUSED);
        rollbackFrom.add(RolloutStatus.PARTIALLY_ROLLED_BACK);
        rollbackFrom.add(RolloutStatus.ABORTED);
        ALLOWED_FROM.put(Command.START_ROLLBACK, rollbackFrom);
        ALLOWED_FROM.put(Command.FINISH_ROLLBACK, EnumSet.of(RolloutStatus.ROLLING_BACK));
        ALLOWED_FROM.put(Command.CONTINUE, EnumSet.of(RolloutStatus.PARTIALLY_ROLLED_BACK));
        Set<RolloutStatus> abortFrom = EnumSet.allOf(RolloutStatus.class);
        abortFrom.removeIf(s -> s.isTerminal() || s == RolloutStatus.ABORTED);
        ALLOWED_FROM.put(Command.ABORT, abortFrom);
        ALLOWED_FROM.put(Command.RETRY, EnumSet.of(RolloutStatus.ABORTED, RolloutStatus.PAUSED));
    }

    private Transitions() {
    }

    public static boolean allowed(Command command, RolloutStatus from) {
        return ALLOWED_FROM.get(command).contains(from);
    }

    public static Set<RolloutStatus> allowedFrom(Command command) {
        return EnumSet.copyOf(ALLOWED_FROM.get(command));
    }

    /** The phase after {@code phase}; COMPLETED after PRODUCTION. */
    public static RolloutStatus next(RolloutStatus phase) {
        return switch (phase) {
            case DEVELOPMENT -> RolloutStatus.PILOT;
            case PILOT -> RolloutStatus.EXPANSION;
            case EXPANSION -> RolloutStatus.PRODUCTION;
            case PRODUCTION -> RolloutStatus.COMPLETED;
            default -> throw new IllegalArgumentException(phase + " is not a phase");
        };
    }
}
