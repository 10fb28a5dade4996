package dev.rollout.metricsgate.client;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;

/** pilot-service: the pilots' feedback, onboarding, health checks and support requests, summed up. */
@HttpExchange("/api/rollouts/{rolloutId}")
public interface PilotServiceClient {

    String SERVICE = "pilot-service";

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Summary(Satisfaction satisfaction, Instability instability, Onboarding onboarding,
            HealthChecks healthChecks, Support support) {
    }

    /** How many ratings of each value, 1 to 5 (keyed by the rating). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Satisfaction(Map<String, Long> distribution) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Instability(List<Report> latest) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Report(int rating, String component) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Onboarding(int pilots, int onboarded) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record HealthChecks(int checks, int passing) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Support(long last7Days, long total) {
    }

    @GetExchange("/feedback/summary")
    Summary summary(@PathVariable UUID rolloutId);
}
