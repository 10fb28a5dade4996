package dev.rollout.phaseengine.notification;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Webhook notifications. Where webhooks may point is the platform's outbound address policy
 * ({@code rollout.outbound.*}), shared with metric sources.
 *
 * @param dispatchEvery how often the dispatcher looks for deliveries due (real time)
 * @param timeout       connect and response time allowed to a receiver
 * @param maxAttempts   attempts before a delivery is given up (FAILED, kept and visible)
 */
@ConfigurationProperties("rollout.notifications")
public record NotificationProperties(Duration dispatchEvery, Duration timeout, Integer maxAttempts) {

    public NotificationProperties {
        dispatchEvery = dispatchEvery == null ? Duration.ofMillis(500) : dispatchEvery;
        timeout = timeout == null ? Duration.ofSeconds(3) : timeout;
        maxAttempts = maxAttempts == null ? 15 : maxAttempts;
    }
}
