package dev.rollout.starter.idempotency;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code Idempotency-Key} on mutating requests.
 *
 * @param enabled         on in every service with a database
 * @param inFlightTimeout after this long a first request that never finished (its process died) no longer
 *                        blocks its key: the next retry runs it
 * @param retention       how long a key is remembered
 */
@ConfigurationProperties("rollout.idempotency")
public record IdempotencyProperties(Boolean enabled, Duration inFlightTimeout, Duration retention) {

    public IdempotencyProperties {
        enabled = enabled == null || enabled;
        inFlightTimeout = inFlightTimeout == null ? Duration.ofMinutes(1) : inFlightTimeout;
        retention = retention == null ? Duration.ofHours(24) : retention;
    }
}
