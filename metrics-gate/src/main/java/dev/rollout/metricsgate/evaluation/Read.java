package dev.rollout.metricsgate.evaluation;

import java.util.function.Supplier;

import dev.rollout.starter.client.ServiceCallFailed;

/** What a read of another service gave: its answer, or why there is none (which the gate turns into INCONCLUSIVE). */
record Read<T>(T body, String problem) {

    static <T> Read<T> of(Supplier<T> call) {
        try {
            return new Read<>(call.get(), null);
        }
        catch (ServiceCallFailed e) {
            return new Read<>(null, e.getMessage());
        }
    }

    boolean ok() {
        return problem == null;
    }
}
