package dev.rollout.phaseengine.notification;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Webhook notifications.
 *
 * @param allowedHosts  host names (or {@code *.example.org} suffixes) webhooks may point at; empty: any public host
 * @param allowPrivate  whether loopback, private, link-local and unique-local addresses are allowed (a test, a
 *                      receiver inside the cluster); refused by default against SSRF
 * @param dispatchEvery how often the dispatcher looks for deliveries due (real time)
 * @param timeout       connect and response time allowed to a receiver
 * @param maxAttempts   attempts before a delivery is given up (FAILED, kept and visible)
 */
@ConfigurationProperties("rollout.notifications")
public record NotificationProperties(List<String> allowedHosts, Boolean allowPrivate, Duration dispatchEvery,
        Duration timeout, Integer maxAttempts) {

    public NotificationProperties {
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        allowPrivate = allowPrivate != null && allowPrivate;
        dispatchEvery = dispatchEvery == null ? Duration.ofMillis(500) : dispatchEvery;
        timeout = timeout == null ? Duration.ofSeconds(3) : timeout;
        maxAttempts = maxAttempts == null ? 15 : maxAttempts;
    }
}
