package dev.rollout.phaseengine.report;

import java.util.UUID;

import dev.rollout.starter.client.ServiceClients;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the reports read from the other services; a service that does not answer leaves its section marked so. */
@Component
class ReportSources {

    /** A section's data, or why it is missing. */
    record Read(JsonNode body, String unavailable) {
        boolean ok() {
            return unavailable == null;
        }
    }

    private final ServiceClients clients;
    private final JsonMapper json;

    ReportSources(ServiceClients clients, JsonMapper json) {
        this.clients = clients;
        this.json = json;
    }

    Read evaluations(UUID rolloutId) {
        return get("metrics-gate", "/api/rollouts/" + rolloutId + "/evaluations");
    }

    Read evaluation(UUID evaluationId) {
        return get("metrics-gate", "/api/evaluations/" + evaluationId);
    }

    Read incidents(UUID rolloutId) {
        return get("metrics-gate", "/api/rollouts/" + rolloutId + "/incidents");
    }

    Read rollbacks(UUID rolloutId) {
        return get("rollback-service", "/api/rollbacks?rolloutId=" + rolloutId);
    }

    Read rootCauses(UUID rolloutId) {
        return get("rollback-service", "/api/rollouts/" + rolloutId + "/root-causes");
    }

    private Read get(String service, String path) {
        try {
            return new Read(json.readTree(clients.forService(service).get().uri(path).retrieve().body(String.class)), null);
        }
        catch (RestClientException | IllegalStateException e) {
            return new Read(null, service + " did not answer " + path + ": " + e.getMessage());
        }
    }
}
