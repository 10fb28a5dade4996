package dev.rollout.starter.observability;

/**
 * The names of the fields that log lines carry about the work they belong to (SLF4J's MDC): in structured logs
 * (JSON, {@code logging.structured.format.console}) each is a field of its own, so that one rollout's, one batch's or
 * one rollback step's lines are found across the services by the field, not by searching the text.
 */
public final class LogFields {

    /** The rollout being worked on. */
    public static final String ROLLOUT = "rollout.id";

    /** The batch of the rollout being worked on. */
    public static final String BATCH = "rollout.batch";

    /** The step of the reconcile loop, or of a rollback, being taken. */
    public static final String STEP = "rollout.step";

    /** The rollback being executed. */
    public static final String ROLLBACK = "rollback.id";

    private LogFields() {
    }
}
