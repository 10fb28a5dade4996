package dev.rollout.api.console;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import dev.rollout.starter.client.ServiceCallFailed;
import dev.rollout.starter.client.ServiceClients;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClientResponseException;
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

    private final JsonMapper json = JsonMapper.builder().build();
    private final PhaseEngineClient phaseEngine;
    private final ClusterBatcherClient clusterBatcher;
    private final MetricsGateClient metricsGate;
    private final RollbackServiceClient rollbacks;

    ConsoleApi(ServiceClients services) {
        this.phaseEngine = services.contractOnBehalf(PhaseEngineClient.SERVICE, PhaseEngineClient.class);
        this.clusterBatcher = services.contractOnBehalf(ClusterBatcherClient.SERVICE, ClusterBatcherClient.class);
        this.metricsGate = services.contractOnBehalf(MetricsGateClient.SERVICE, MetricsGateClient.class);
        this.rollbacks = services.contractOnBehalf(RollbackServiceClient.SERVICE, RollbackServiceClient.class);
    }

    Reads.RolloutPage rollouts(String token, String status) {
        return call(() -> phaseEngine.rollouts(bearer(token), 100, status));
    }

    Reads.Rollout rollout(String token, UUID id) {
        return call(() -> phaseEngine.rollout(bearer(token), id));
    }

    List<Reads.TimelineEntry> timeline(String token, UUID id) {
        return call(() -> phaseEngine.timeline(bearer(token), id));
    }

    /** The batch plan with every activated batch's health; none before the plan is frozen. */
    Reads.BatchPlan batches(String token, UUID id) {
        try {
            return call(() -> clusterBatcher.batches(bearer(token), id, true));
        }
        catch (Refused refused) {
            if (refused.status() == 404) {
                return null;
            }
            throw refused;
        }
    }

    Reads.Evaluation evaluation(String token, UUID id) {
        return call(() -> metricsGate.evaluation(bearer(token), id));
    }

    /** The rollout's evaluations, newest first. */
    List<Reads.EvaluationSummary> evaluations(String token, UUID id) {
        return call(() -> metricsGate.evaluations(bearer(token), id));
    }

    List<Reads.Series> series(String token, UUID id) {
        return call(() -> metricsGate.series(bearer(token), id));
    }

    List<Reads.Rollback> rollbacks(String token, UUID id) {
        return call(() -> rollbacks.rollbacks(bearer(token), id));
    }

    /** One of the actions on a rollout (start, approve, promote, pause, resume, abort) with the reason. */
    void act(String token, UUID id, String action, String reason) {
        String bearer = bearer(token);
        PhaseEngineClient.Reason why = new PhaseEngineClient.Reason(reason);
        Runnable call = switch (action) {
            case "start" -> () -> phaseEngine.start(bearer, id, why);
            case "approve" -> () -> phaseEngine.approve(bearer, id, why);
            case "promote" -> () -> phaseEngine.promote(bearer, id, why);
            case "pause" -> () -> phaseEngine.pause(bearer, id, why);
            case "resume" -> () -> phaseEngine.resume(bearer, id, why);
            case "abort" -> () -> phaseEngine.abort(bearer, id, why);
            default -> throw new Refused(404, "Not Found", "There is no action " + action + " on a rollout");
        };
        call(() -> {
            call.run();
            return null;
        });
    }

    /** A rollback of the whole version (no components) or of the components named, answered once it has started. */
    Reads.Rollback rollback(String token, UUID id, List<String> components, String reason, String idempotencyKey) {
        RollbackServiceClient.StartRollback request = new RollbackServiceClient.StartRollback(id, components.isEmpty()
                ? RollbackServiceClient.Scope.FULL : RollbackServiceClient.Scope.PARTIAL, components, reason);
        return call(() -> rollbacks.start(bearer(token), request, idempotencyKey)).rollback();
    }

    /** Re-deploys a rolled-back component at its fixed version. */
    void fix(String token, UUID id, String component, String version, String reason) {
        call(() -> {
            rollbacks.fix(bearer(token), id, component, new RollbackServiceClient.Fix(version, reason));
            return null;
        });
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    /** The call; a service's refusal or failure thrown as what the console shows, a 401 as signed out. */
    private <T> T call(Supplier<T> call) {
        try {
            return call.get();
        }
        catch (ServiceCallFailed failed) {
            if (failed.getCause() instanceof RestClientResponseException answer) {
                throw refused(answer.getStatusCode().value(), answer.getResponseBodyAsByteArray());
            }
            throw new Refused(503, "Service Unavailable", failed.getMessage());
        }
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
}
