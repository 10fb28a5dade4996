package dev.rollout.phaseengine.reconcile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import dev.rollout.phaseengine.rollout.EvaluationSummary;
import dev.rollout.phaseengine.rollout.Rollout;
import dev.rollout.starter.client.ServiceClients;
import dev.rollout.starter.idempotency.IdempotencyFilter;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The phase engine's calls to the other services, each with the Idempotency-Key of its step so that a call
 * repeated after a crash is answered from the first, never done twice. A call that fails says which
 * service and why; the reconcile loop waits and shows it, and never goes on without the answer.
 */
@Component
class Dependencies {

    /** Another service did not answer, answered 5xx, or refused the call (4xx): the step waits. */
    static final class Unavailable extends RuntimeException {

        final String service;

        Unavailable(String service, String message) {
            super(message);
            this.service = service;
        }
    }

    private final ServiceClients clients;
    private final CircuitBreakerRegistry breakers;
    private final JsonMapper json;

    Dependencies(ServiceClients clients, CircuitBreakerRegistry breakers, JsonMapper json) {
        this.clients = clients;
        this.breakers = breakers;
        this.json = json;
    }

    /** The gate's verdict on the current phase (or batch of the expansion) from the evidence since {@code since}. */
    EvaluationSummary evaluate(Rollout rollout, Integer batch, Instant since, String key) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("phase", rollout.phase().name());
        if (batch != null) {
            body.put("batch", batch);
        }
        body.put("since", since.toString());
        JsonNode answer = post("metrics-gate", "/api/rollouts/" + rollout.id() + "/evaluations", body, key);
        List<String> reasons = new ArrayList<>();
        answer.path("reasons").forEach(r -> reasons.add(r.asString()));
        List<String> components = new ArrayList<>();
        answer.path("components").forEach(c -> components.add(c.asString()));
        UUID id = UUID.fromString(answer.path("id").asString());
        return new EvaluationSummary(id, answer.path("phase").asString(), batch, answer.path("verdict").asString(),
                answer.path("scope").isNull() || answer.path("scope").isMissingNode() ? null : answer.path("scope").asString(),
                components, reasons, Instant.parse(answer.path("evaluatedAt").asString()), "/api/evaluations/" + id);
    }

    void applyKpiPolicy(Rollout rollout, String key) {
        send(org.springframework.http.HttpMethod.PUT, "metrics-gate", "/api/rollouts/" + rollout.id() + "/kpi-policy",
                new java.util.TreeMap<>(rollout.plan().kpiOverrides()), key);
    }

    void declareUserTypes(Rollout rollout, String key) {
        send(org.springframework.http.HttpMethod.PUT, "metrics-gate", "/api/rollouts/" + rollout.id() + "/user-types",
                new java.util.TreeMap<>(rollout.plan().userTypes()), key);
    }

    void activatePilots(Rollout rollout, String key) {
        post("pilot-service", "/api/rollouts/" + rollout.id() + "/pilots/activation",
                Map.of("reason", "Phase 2: pilot deployment of " + rollout.targetVersion()), key);
    }

    /** Freezes the batch plan over the fleet as it is now; the number of batches it holds. */
    int freezeBatchPlan(Rollout rollout, String key) {
        // ordered maps: a retried call must send the same bytes, or the other service sees another request
        List<Map<String, String>> components = rollout.components().stream().map(c -> {
            Map<String, String> component = new LinkedHashMap<>();
            component.put("name", c.name());
            component.put("version", c.version());
            component.put("previousVersion", rollout.previousStableVersion());
            return component;
        }).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("batchSize", rollout.plan().batchSize());
        body.put("fleetCap", rollout.plan().fleetCap());
        body.put("targetVersion", rollout.targetVersion());
        body.put("previousStableVersion", rollout.previousStableVersion());
        body.put("components", components);
        return post("cluster-batcher", "/api/rollouts/" + rollout.id() + "/batch-plan", body, key).path("batchCount").asInt();
    }

    void activateBatch(Rollout rollout, int number, String key) {
        post("cluster-batcher", "/api/rollouts/" + rollout.id() + "/batches/" + number + "/activation", null, key);
    }

    void activateFleet(Rollout rollout, String key) {
        post("cluster-batcher", "/api/rollouts/" + rollout.id() + "/activations/fleet", null, key);
    }

    /** Asks rollback-service to roll back with the verdict's scope; the rollback's id. */
    UUID requestRollback(Rollout rollout, EvaluationSummary verdict, String key) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("rolloutId", rollout.id().toString());
        boolean partial = "PARTIAL".equals(verdict.scope()) && !verdict.components().isEmpty();
        body.put("scope", partial ? "PARTIAL" : "FULL");
        if (partial) {
            body.put("components", verdict.components());
        }
        body.put("reason", "Gate " + verdict.verdict() + " in " + rollout.status()
                + (verdict.batch() == null ? "" : " batch " + verdict.batch()) + ": " + String.join("; ", verdict.reasons()));
        body.put("evaluationId", verdict.id().toString());
        JsonNode answer = post("rollback-service", "/api/rollbacks", body, key);
        return UUID.fromString(answer.path("id").asString());
    }

    private JsonNode post(String service, String path, Object body, String key) {
        return send(org.springframework.http.HttpMethod.POST, service, path, body, key);
    }

    private JsonNode send(org.springframework.http.HttpMethod method, String service, String path, Object body, String key) {
        // a 4xx is an answer (the breaker stays closed); only no answer or a 5xx counts against the service
        Supplier<ResponseEntity<String>> call = () -> {
            var request = clients.forService(service).method(method).uri(path).header(IdempotencyFilter.HEADER, key);
            if (body != null) {
                request = request.contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsString(body));
            }
            return request.retrieve().onStatus(HttpStatusCode::is4xxClientError, (req, res) -> {
            }).toEntity(String.class);
        };
        ResponseEntity<String> answer;
        try {
            answer = breakers.circuitBreaker(service).executeSupplier(call);
        }
        catch (RestClientResponseException e) {
            String detail = e.getResponseBodyAsString();
            throw new Unavailable(service, service + " answered " + e.getStatusCode().value() + " to " + method + " " + path
                    + (detail.isBlank() ? "" : ": " + abbreviate(detail)));
        }
        catch (CallNotPermittedException e) {
            throw new Unavailable(service, service + " is failing; its circuit breaker is open");
        }
        catch (RuntimeException e) {
            throw new Unavailable(service, service + " did not answer " + method + " " + path + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + abbreviate(e.getMessage())));
        }
        String text = answer.getBody();
        if (answer.getStatusCode().is4xxClientError()) {
            throw new Unavailable(service, service + " refused " + method + " " + path + " with " + answer.getStatusCode().value()
                    + (text == null || text.isBlank() ? "" : ": " + abbreviate(text)));
        }
        return json.readTree(text == null || text.isBlank() ? "{}" : text);
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 297) + "...";
    }
}
