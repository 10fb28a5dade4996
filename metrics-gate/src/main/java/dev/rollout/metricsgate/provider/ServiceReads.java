package dev.rollout.metricsgate.provider;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import dev.rollout.starter.client.ServiceClients;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads from cluster-batcher (batch health) and pilot-service (the pilot summary) over HTTP, with retries
 * (reads are idempotent) and a circuit breaker per service. A read that fails says why; the gate turns
 * that into INCONCLUSIVE, never into PASS.
 */
@Component
public class ServiceReads {

    /** What a read returned: the body, or why there is none. */
    public record Read(JsonNode body, String problem) {

        public boolean ok() {
            return problem == null;
        }
    }

    private final ServiceClients clients;
    private final JsonMapper json;
    private final CircuitBreakerRegistry breakers;
    private final RetryRegistry retries;

    ServiceReads(ServiceClients clients, JsonMapper json, CircuitBreakerRegistry breakers, RetryRegistry retries) {
        this.clients = clients;
        this.json = json;
        this.breakers = breakers;
        this.retries = retries;
    }

    public Read batch(UUID rolloutId, int number) {
        return read("cluster-batcher", "/api/rollouts/" + rolloutId + "/batches/" + number);
    }

    public Read batches(UUID rolloutId) {
        return read("cluster-batcher", "/api/rollouts/" + rolloutId + "/batches");
    }

    public Read pilotSummary(UUID rolloutId) {
        return read("pilot-service", "/api/rollouts/" + rolloutId + "/feedback/summary");
    }

    private Read read(String service, String path) {
        RestClient client;
        try {
            client = clients.forService(service);
        }
        catch (IllegalStateException e) {
            return new Read(null, e.getMessage());
        }
        CircuitBreaker breaker = breakers.circuitBreaker(service);
        Retry retry = retries.retry(service);
        Supplier<String> call = () -> client.get().uri(path).retrieve().body(String.class);
        try {
            String body = breaker.executeSupplier(Retry.decorateSupplier(retry, call));
            return new Read(json.readTree(Optional.ofNullable(body).orElse("null")), null);
        }
        catch (RestClientResponseException e) {
            HttpStatusCode status = e.getStatusCode();
            return new Read(null, service + " answered " + status.value() + " for " + path);
        }
        catch (io.github.resilience4j.circuitbreaker.CallNotPermittedException e) {
            return new Read(null, service + " is failing; its circuit breaker is open");
        }
        catch (RuntimeException e) {
            return new Read(null, service + " did not answer: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }
}
