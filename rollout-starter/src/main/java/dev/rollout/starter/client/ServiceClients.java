package dev.rollout.starter.client;

import java.net.http.HttpClient;

import dev.rollout.starter.security.DevelopmentTokens;
import dev.rollout.starter.security.RolloutSecurityProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * RestClients for calls between services: base URL from configuration, the SERVICE token, timeouts.
 * Callers add Resilience4j retries (idempotent calls only) and circuit breakers around them.
 */
public final class ServiceClients {

    private final RestClient.Builder builder;
    private final ServiceClientProperties properties;
    private final String token;
    private final java.util.Map<String, RestClient> clients = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, RestClient> forPeople = new java.util.concurrent.ConcurrentHashMap<>();

    public ServiceClients(RestClient.Builder builder, ServiceClientProperties properties,
            RolloutSecurityProperties security) {
        this.builder = builder;
        this.properties = properties;
        this.token = security.mode() == RolloutSecurityProperties.Mode.DEV && security.serviceToken().isBlank()
                ? DevelopmentTokens.SERVICE_TOKEN : security.serviceToken();
    }

    /** A client for the named service ({@code cluster-batcher}, {@code pilot-service}, ...). */
    public RestClient forService(String name) {
        return clients.computeIfAbsent(name, n -> build(n).defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .build());
    }

    /**
     * A client for the named service that sends no token of its own: for calls made for a person, each carrying
     * that person's token (the edge's console).
     */
    public RestClient onBehalf(String name) {
        return forPeople.computeIfAbsent(name, n -> build(n).build());
    }

    private RestClient.Builder build(String name) {
        String url = properties.urls().get(name);
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("No URL for service '" + name + "': set rollout.services.urls." + name);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(properties.connectTimeout()).build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
        factory.setReadTimeout(properties.readTimeout());
        return builder.clone()
                .baseUrl(url)
                .requestFactory(factory)
                .observationConvention(new TemplatedUris());
    }
}
