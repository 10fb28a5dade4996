package dev.rollout.rollbackservice.rollback;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.rollout.starter.client.ServiceClients;
import dev.rollout.starter.idempotency.IdempotencyFilter;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The saga's calls to the other services, each with the Idempotency-Key of its step. */
@Component
class Downstream {

    /** A call that did not succeed, with what the other service said. */
    static final class Failed extends RuntimeException {
        Failed(String message) {
            super(message);
        }
    }

    private final ServiceClients clients;
    private final JsonMapper json;

    Downstream(ServiceClients clients, JsonMapper json) {
        this.clients = clients;
        this.json = json;
    }

    String run(Rollback rollback, SagaStep step, String key) {
        String rollout = "/api/rollouts/" + rollback.rolloutId();
        return switch (step) {
            case HALT_ROLLOUT -> {
                JsonNode answer = post("phase-engine", rollout + "/rollback-started", ordered("rollbackId",
                        rollback.id().toString(), "scope", rollback.scope().name(), "reason", abbreviate(rollback.reason())), key);
                yield "rollout " + answer.path("status").asString();
            }
            case REVERT_AGENTS -> {
                Map<String, Object> body = rollback.scope() == RollbackScope.FULL
                        ? ordered("scope", "ALL", "reason", abbreviate(rollback.reason()))
                        : ordered("scope", "COMPONENTS", "components", rollback.components(), "reason", abbreviate(rollback.reason()));
                JsonNode answer = post("cluster-batcher", rollout + "/deactivations", body, key, true);
                if (answer == null) {
                    yield "no batch plan: no agent of the fleet had the new version"; // rolled back in Phase 1 or 2
                }
                yield answer.path("agents").asLong() + " activated agents back on the previous version"
                        + (rollback.scope() == RollbackScope.PARTIAL ? " for " + String.join(", ", rollback.components()) : "")
                        + " (cluster-batcher took " + answer.path("tookMicros").asLong() + " µs)";
            }
            case REVOKE_PILOT_GRANTS -> {
                JsonNode answer = post("pilot-service", rollout + "/pilots/revocation",
                        ordered("reason", "Full rollback: " + abbreviate(rollback.reason())), key);
                yield answer.path("changed").asInt(answer.path("revoked").asInt()) + " pilot grants revoked";
            }
            case FINISH_ROLLOUT -> {
                JsonNode answer = post("phase-engine", rollout + "/rollback-finished", ordered("rollbackId",
                        rollback.id().toString(), "scope", rollback.scope().name()), key);
                yield "rollout " + answer.path("status").asString();
            }
        };
    }

    /**
     * Pins the component to its fixed version on every activated agent; the agents it now applies to. Without a
     * batch plan (a partial rollback in Phase 1 or 2) no agent of the fleet runs the component: 0.
     */
    long pinFix(java.util.UUID rolloutId, String component, String version, String reason, String key) {
        JsonNode answer = call(org.springframework.http.HttpMethod.PUT, "cluster-batcher", "/api/rollouts/" + rolloutId
                + "/component-pins/" + component, ordered("version", version, "reason", abbreviate(reason)), key, true);
        return answer == null ? 0 : answer.path("agents").asLong();
    }

    /** The rollout continues in its phase with the fixed versions; its status after. */
    String continueRollout(java.util.UUID rolloutId, Map<String, String> fixes, String key) {
        return post("phase-engine", "/api/rollouts/" + rolloutId + "/continue", ordered("fixes", new java.util.TreeMap<>(fixes),
                "reason", "fix re-deployed: " + new java.util.TreeMap<>(fixes)), key).path("status").asString();
    }

    /**
     * Whether the rollout may exist: false only when phase-engine answers that it does not (404). A rollback is never
     * refused because phase-engine is slow or down: then it is taken, and its first step waits for phase-engine.
     */
    boolean rolloutMayExist(java.util.UUID rolloutId) {
        try {
            return clients.forService("phase-engine").get().uri("/api/rollouts/" + rolloutId).retrieve()
                    .onStatus(HttpStatusCode::isError, (request, response) -> {
                    }).toBodilessEntity().getStatusCode().value() != 404;
        }
        catch (RestClientException e) {
            return true;
        }
    }

    private JsonNode post(String service, String path, Map<String, Object> body, String key) {
        return post(service, path, body, key, false);
    }

    private JsonNode post(String service, String path, Map<String, Object> body, String key, boolean notFoundIsEmpty) {
        return call(org.springframework.http.HttpMethod.POST, service, path, body, key, notFoundIsEmpty);
    }

    /** The answer; null for a 404 when {@code notFoundIsEmpty}. */
    private JsonNode call(org.springframework.http.HttpMethod method, String service, String path, Map<String, Object> body,
            String key, boolean notFoundIsEmpty) {
        ResponseEntity<String> answer;
        try {
            answer = clients.forService(service).method(method).uri(path).header(IdempotencyFilter.HEADER, key)
                    .contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsString(body)).retrieve()
                    .onStatus(HttpStatusCode::isError, (request, response) -> {
                    }).toEntity(String.class);
        }
        catch (RestClientException e) {
            throw new Failed(service + " did not answer " + method + " " + path + ": " + e.getMessage());
        }
        String text = answer.getBody();
        if (notFoundIsEmpty && answer.getStatusCode().value() == 404) {
            return null;
        }
        if (!answer.getStatusCode().is2xxSuccessful()) {
            throw new Failed(service + " answered " + answer.getStatusCode().value() + " to " + method + " " + path
                    + (text == null || text.isBlank() ? "" : ": " + abbreviate(text)));
        }
        return json.readTree(text == null || text.isBlank() ? "{}" : text);
    }

    /** A JSON body with its keys in a fixed order: a retried call sends the same bytes. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 450 ? text : text.substring(0, 447) + "...";
    }
}
