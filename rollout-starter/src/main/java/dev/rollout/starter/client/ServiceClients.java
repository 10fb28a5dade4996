package dev.rollout.starter.client;

import java.net.http.HttpClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.rollout.starter.security.DevelopmentTokens;
import dev.rollout.starter.security.RolloutSecurityProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/**
 * Clients for calls between services: base URL from configuration, the SERVICE token, timeouts. A consumer calls
 * another service through its contract ({@link #contract}): an {@code @HttpExchange} interface of the consumer's own,
 * with records of what it sends and reads, every call inside the service's circuit breaker and (when idempotent) its
 * retry.
 */
public final class ServiceClients {

    private final RestClient.Builder builder;
    private final ServiceClientProperties properties;
    private final String token;
    private final ObjectProvider<CircuitBreakerRegistry> breakers;
    private final ObjectProvider<RetryRegistry> retries;
    private final Map<String, RestClient> clients = new ConcurrentHashMap<>();
    private final Map<String, RestClient> forPeople = new ConcurrentHashMap<>();

    public ServiceClients(RestClient.Builder builder, ServiceClientProperties properties,
            RolloutSecurityProperties security, ObjectProvider<CircuitBreakerRegistry> breakers,
            ObjectProvider<RetryRegistry> retries) {
        this.builder = builder;
        this.properties = properties;
        this.token = security.mode() == RolloutSecurityProperties.Mode.DEV && security.serviceToken().isBlank()
                ? DevelopmentTokens.SERVICE_TOKEN : security.serviceToken();
        this.breakers = breakers;
        this.retries = retries;
    }

    /**
     * The named service ({@code cluster-batcher}, {@code pilot-service}, ...) called through a contract of the
     * caller's own; a call that does not succeed throws {@link ServiceCallFailed}.
     */
    public <T> T contract(String service, Class<T> contract) {
        return contract(service, contract, () -> forService(service));
    }

    /**
     * As {@link #contract}, for calls made for a person (the edge's console): no token of the service's own, each call
     * carrying that person's token in its {@code Authorization} parameter.
     */
    public <T> T contractOnBehalf(String service, Class<T> contract) {
        return contract(service, contract, () -> onBehalf(service));
    }

    private <T> T contract(String service, Class<T> contract, Supplier<RestClient> client) {
        return ResilientCalls.around(service, contract,
                () -> HttpServiceProxyFactory.builderFor(RestClientAdapter.create(client.get())).build()
                        .createClient(contract),
                () -> breakers.getIfAvailable(CircuitBreakerRegistry::ofDefaults).circuitBreaker(service),
                () -> retries.getIfAvailable(RetryRegistry::ofDefaults).retry(service));
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
    private RestClient onBehalf(String name) {
        return forPeople.computeIfAbsent(name, n -> build(n).build());
    }

    private RestClient.Builder build(String name) {
        String url = properties.urls().get(name);
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("No URL for service '" + name + "': set rollout.services.urls." + name);
        }
        // HTTP/1.1, as the services speak it: no h2c upgrade on every new connection (the JDK client's default)
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout()).build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
        factory.setReadTimeout(properties.readTimeout());
        return builder.clone()
                .baseUrl(url)
                .requestFactory(factory)
                .observationConvention(new TemplatedUris());
    }
}
