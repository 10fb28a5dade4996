package dev.rollout.starter.outbound;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the platform's own outbound calls (webhooks, Prometheus sources) may go. Calls between the platform's
 * services are not outbound calls and do not pass through this policy.
 *
 * @param allowedHosts   when not empty, the only host names that may be called ({@code *.example.org} for a
 *                       domain and its subdomains)
 * @param privateHosts   host names that may resolve to a private or otherwise special address, such as the
 *                       Prometheus of the same cluster ({@code prometheus}, {@code *.monitoring.svc})
 * @param allowPrivate   any host may resolve to a special address (tests and a laptop only)
 * @param connectTimeout how long a connection may take
 */
@ConfigurationProperties("rollout.outbound")
public record OutboundProperties(List<String> allowedHosts, List<String> privateHosts, Boolean allowPrivate,
        Duration connectTimeout) {

    public OutboundProperties {
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        privateHosts = privateHosts == null ? List.of() : List.copyOf(privateHosts);
        allowPrivate = allowPrivate != null && allowPrivate;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(3) : connectTimeout;
    }
}
