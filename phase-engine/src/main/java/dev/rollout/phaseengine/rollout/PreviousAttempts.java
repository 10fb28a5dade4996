package dev.rollout.phaseengine.rollout;

import java.util.List;
import java.util.Map;

import dev.rollout.phaseengine.client.RollbackServiceClient;
import dev.rollout.phaseengine.client.RollbackServiceClient.RootCause;
import dev.rollout.starter.client.ServiceCallFailed;
import dev.rollout.starter.client.ServiceClients;
import dev.rollout.starter.web.ProblemException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/** A new attempt after a full rollback takes the root-cause records' safeguards of the previous one into its plan. */
@Component
class PreviousAttempts {

    private final RollbackServiceClient rollbacks;

    PreviousAttempts(ServiceClients clients) {
        this.rollbacks = clients.contract(RollbackServiceClient.SERVICE, RollbackServiceClient.class);
    }

    RolloutPlan withSafeguards(RolloutPlan plan, Rollout previous) {
        if (previous.status() != RolloutStatus.ROLLED_BACK) {
            throw ProblemException.unprocessable("previousAttempt " + previous.id() + " is " + previous.status()
                    + "; a next attempt follows a rollout that was fully rolled back").with("status", previous.status());
        }
        List<RootCause> records;
        try {
            records = rollbacks.rootCauses(previous.id());
        }
        catch (ServiceCallFailed e) {
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "The root-cause records of " + previous.id()
                    + " cannot be read from rollback-service (" + e.getMessage() + "); the plan needs their safeguards, "
                    + "retry in a moment");
        }
        RolloutPlan result = plan;
        for (RootCause record : records) {
            RollbackServiceClient.Safeguards s = record.safeguards();
            result = result.withSafeguards(record.id(), previous.id(), record.summary(), new RolloutPlan.Requested(
                    s == null ? null : s.batchSize(), s == null ? null : s.observationWindow(),
                    s == null || s.kpiOverrides() == null ? Map.of() : s.kpiOverrides()));
        }
        return result;
    }
}
