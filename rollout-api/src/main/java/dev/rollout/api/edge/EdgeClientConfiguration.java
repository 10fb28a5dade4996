package dev.rollout.api.edge;

import java.time.Duration;
import java.util.List;

import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.util.Timeout;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.AntPathMatcher;

/**
 * How the edge calls the services it routes to: Apache HttpClient 5 (the gateway takes it when it is on the
 * classpath) with a connection pool sized for the edge's request threads. The client's own default is 5 connections
 * per service, so a sixth concurrent request to one service would wait for a free connection. Measured against the
 * JDK client on 2 cores (one service behind the edge, 4 concurrent callers): 2,230 against 1,215 requests/s, p99
 * 5.7 against 8.1 ms.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ EdgeClientConfiguration.Pool.class, EdgeClientConfiguration.Timeouts.class })
class EdgeClientConfiguration {

    /**
     * How long the edge waits for a service's answer. A fleet upload is answered once it is merged (20,000,000 lines
     * take minutes), so its paths wait long; every other path keeps a short wait, so that a stuck service is a quick
     * 503 rather than a hanging caller.
     *
     * @param read        the wait for an answer on every path but the uploads
     * @param uploadRead  the wait on {@code uploadPaths}
     * @param uploadPaths Ant patterns of the upload paths
     */
    @ConfigurationProperties("rollout.edge.timeouts")
    record Timeouts(@DefaultValue("60s") Duration read, @DefaultValue("2h") Duration uploadRead,
            @DefaultValue({ "/api/fleet/imports", "/api/fleet/imports/*" }) List<String> uploadPaths) {

        Duration readFor(String path) {
            AntPathMatcher matcher = new AntPathMatcher();
            return uploadPaths.stream().anyMatch(p -> matcher.match(p, path)) ? uploadRead : read;
        }
    }

    /**
     * Connections the edge keeps to the services.
     *
     * @param perService at most this many at once to one service (the edge's request threads: 200 by default)
     * @param total      at most this many at once in all
     */
    @ConfigurationProperties("rollout.edge.connections")
    record Pool(@DefaultValue("200") int perService, @DefaultValue("600") int total) {
    }

    @Bean
    ClientHttpRequestFactoryBuilder<?> edgeClientHttpRequestFactoryBuilder(Pool pool, Timeouts timeouts) {
        return ClientHttpRequestFactoryBuilder.httpComponents()
                .withConnectionManagerCustomizer(connections -> connections.setMaxConnPerRoute(pool.perService())
                        .setMaxConnTotal(pool.total()))
                .withCustomizer(factory -> factory.setHttpContextFactory((method, uri) -> {
                    HttpClientContext context = HttpClientContext.create();
                    context.setRequestConfig(RequestConfig.custom()
                            .setResponseTimeout(Timeout.of(timeouts.readFor(uri.getPath())))
                            .setConnectionRequestTimeout(Timeout.ofSeconds(10)).build());
                    return context;
                }));
    }
}
