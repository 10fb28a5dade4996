package dev.rollout.api.console;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.rollout.starter.client.ServiceClients;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's calls to the services, each with the signed-in person's own token: every service checks that person's
 * roles as it would for a call through the edge, so the console can show no more, and do no more, than the API lets
 * that person.
 */
@Component
class ConsoleApi {

    /** The service refused (4xx) or failed (5xx): its problem's status, title and detail. */
    static final class Refused extends RuntimeException {

        private final int status;
        private final String title;

        Refused(int status, String title, String detail) {
            super(detail);
            this.status = status;
            this.title = title;
        }

        int status() {
            return status;
        }

        String title() {
            return title;
        }
    }

    /** The token is no longer accepted (expired, or revoked): the person signs in again. */
    static final class SignedOut extends RuntimeException {
        SignedOut(String detail) {
            super(detail);
        }
    }

    private final ServiceClients services;
    private final JsonMapper json = JsonMapper.builder().build();

    ConsoleApi(ServiceClients services) {
        this.services = services;
    }

    Reads.RolloutPage rollouts(String token, String status) {
        return get(token, "phase-engine", "/api/rollouts?size=100" + (status == null ? "" : "&status=" + status),
                Reads.RolloutPage.class);
    }

    Reads.Rollout rollout(String token, UUID id) {
        return get(token, "phase-engine", "/api/rollouts/" + id, Reads.Rollout.class);
    }

    List<Reads.TimelineEntry> timeline(String token, UUID id) {
        return get(token, "phase-engine", "/api/rollouts/" + id + "/timeline", new ParameterizedTypeReference<>() { });
    }

    /** The batch plan with every activated batch's health; none before the plan is frozen. */
    Reads.BatchPlan batches(String token, UUID id) {
        try {
            return get(token, "cluster-batcher", "/api/rollouts/" + id + "/batches?health=true", Reads.BatchPlan.class);
        }
        catch (Refused refused) {
            if (refused.status() == 404) {
                return null;
            }
            throw refused;
        }
    }

    Reads.Evaluation evaluation(String token, UUID id) {
        return get(token, "metrics-gate", "/api/evaluations/" + id, Reads.Evaluation.class);
    }

    /** The rollout's evaluations, newest first. */
    List<Reads.EvaluationSummary> evaluations(String token, UUID id) {
        return get(token, "metrics-gate", "/api/rollouts/" + id + "/evaluations", new ParameterizedTypeReference<>() { });
    }

    List<Reads.Series> series(String token, UUID id) {
        return get(token, "metrics-gate", "/api/rollouts/" + id + "/kpi-series", new ParameterizedTypeReference<>() { });
    }

    List<Reads.Rollback> rollbacks(String token, UUID id) {
        return get(token, "rollback-service", "/api/rollbacks?rolloutId=" + id, new ParameterizedTypeReference<>() { });
    }

    /** {@code POST /api/rollouts/{id}/{action}} on phase-engine with the reason. */
    void act(String token, UUID id, String action, String reason) {
        post(token, "phase-engine", "/api/rollouts/" + id + "/" + action, Map.of("reason", reason));
    }

    /** A rollback of the whole version (no components) or of the components named, answered once it has started. */
    Reads.Rollback rollback(String token, UUID id, List<String> components, String reason, String idempotencyKey) {
        Map<String, Object> body = new HashMap<>();
        body.put("rolloutId", id);
        body.put("scope", components.isEmpty() ? "FULL" : "PARTIAL");
        if (!components.isEmpty()) {
            body.put("components", components);
        }
        body.put("reason", reason);
        return send(token, client("rollback-service").post().uri("/api/rollbacks").header("Idempotency-Key", idempotencyKey)
                .contentType(MediaType.APPLICATION_JSON).body(body)).body(Reads.Started.class).rollback();
    }

    /** Re-deploys a rolled-back component at its fixed version. */
    void fix(String token, UUID id, String component, String version, String reason) {
        post(token, "rollback-service", "/api/rollouts/" + id + "/components/" + component + "/fix",
                Map.of("version", version, "reason", reason));
    }

    private <T> T get(String token, String service, String path, Class<T> type) {
        return send(token, client(service).get().uri(path)).body(type);
    }

    private <T> T get(String token, String service, String path, ParameterizedTypeReference<T> type) {
        return send(token, client(service).get().uri(path)).body(type);
    }

    private void post(String token, String service, String path, Object body) {
        send(token, client(service).post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body)).toBodilessEntity();
    }

    /** The request with the person's token; a problem answer thrown as what the console shows. */
    private RestClient.ResponseSpec send(String token, RestClient.RequestHeadersSpec<?> request) {
        return request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token).retrieve()
                .onStatus(HttpStatusCode::isError, (sent, response) -> {
                    throw refused(response.getStatusCode().value(), response.getBody().readAllBytes());
                });
    }

    /** A problem answer as the exception the console shows; a 401 signs the person out. */
    private RuntimeException refused(int status, byte[] body) {
        String title = "HTTP " + status;
        String detail = "";
        try {
            JsonNode problem = json.readTree(body);
            title = problem.path("title").asString(title);
            detail = problem.path("detail").asString("");
        }
        catch (RuntimeException notAProblem) {
            detail = new String(body, StandardCharsets.UTF_8);
        }
        if (status == 401) {
            return new SignedOut(detail.isBlank() ? "the token is no longer accepted" : detail);
        }
        return new Refused(status, title, detail);
    }

    private RestClient client(String service) {
        return services.onBehalf(service);
    }
}
