package dev.rollout.phaseengine.rollout;

import java.util.UUID;

import dev.rollout.starter.client.ServiceClients;
import dev.rollout.starter.web.ProblemException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A new attempt after a full rollback takes the root-cause records' safeguards of the previous one into its plan. */
@Component
class PreviousAttempts {

    private final ServiceClients clients;
    private final JsonMapper json;

    PreviousAttempts(ServiceClients clients, JsonMapper json) {
        this.clients = clients;
        this.json = json;
    }

    RolloutPlan withSafeguards(RolloutPlan plan, Rollout previous) {
        if (previous.status() != RolloutStatus.ROLLED_BACK) {
            throw ProblemException.unprocessable("previousAttempt " + previous.id() + " is " + previous.status()
                    + "; a next attempt follows a rollout that was fully rolled back").with("status", previous.status());
        }
        JsonNode records;
        try {
            records = json.readTree(clients.forService("rollback-service").get()
                    .uri("/api/rollouts/" + previous.id() + "/root-causes").retrieve().body(String.class));
        }
        catch (RestClientException e) {
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "The root-cause records of " + previous.id()
                    + " cannot be read from rollback-service (" + e.getMessage() + "); the plan needs their safeguards, "
                    + "retry in a moment");
        }
        RolloutPlan result = plan;
        for (JsonNode record : records) {
            JsonNode s = record.path("safeguards");
            java.util.Map<String, Double> overrides = new java.util.LinkedHashMap<>();
            s.path("kpiOverrides").properties().forEach(e -> overrides.put(e.getKey(), e.getValue().asDouble()));
            result = result.withSafeguards(UUID.fromString(record.path("id").asString()), previous.id(),
                    record.path("summary").asString(), new RolloutPlan.Requested(
                            s.path("batchSize").isNumber() ? s.path("batchSize").asLong() : null,
                            s.path("observationWindow").isString() ? java.time.Duration.parse(s.path("observationWindow").asString())
                                    : null, overrides));
        }
        return result;
    }
}
