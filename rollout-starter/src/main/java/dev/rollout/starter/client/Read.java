package dev.rollout.starter.client;

import java.util.function.Supplier;

/**
 * What a read of another service gave: its answer, or why there is none. For callers that go on without it and say so
 * (the gate measures INCONCLUSIVE, a report marks its section unavailable).
 */
public record Read<T>(T body, String problem) {

    /** The call's answer, or the failure it met ({@link ServiceCallFailed}) as the problem. */
    public static <T> Read<T> of(Supplier<T> call) {
        try {
            return new Read<>(call.get(), null);
        }
        catch (ServiceCallFailed e) {
            return new Read<>(null, e.getMessage());
        }
    }

    public boolean ok() {
        return problem == null;
    }
}
