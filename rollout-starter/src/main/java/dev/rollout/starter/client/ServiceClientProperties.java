package dev.rollout.starter.client;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the other services are and how long to wait for them.
 *
 * @param urls           base URL per service name ({@code rollout.services.urls.cluster-batcher=http://...});
 *                       in Kubernetes, the Service DNS names
 * @param connectTimeout time to open a connection
 * @param readTimeout    time to wait for an answer
 */
@ConfigurationProperties("rollout.services")
public record ServiceClientProperties(Map<String, String> urls, Duration connectTimeout, Duration readTimeout) {

    public ServiceClientProperties {
        urls = urls == null ? Map.of() : Map.copyOf(urls);
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(2) : connectTimeout;
        readTimeout = readTimeout == null ? Duration.ofSeconds(10) : readTimeout;
    }
}
