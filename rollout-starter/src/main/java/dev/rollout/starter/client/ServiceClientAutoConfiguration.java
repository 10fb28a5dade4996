package dev.rollout.starter.client;

import dev.rollout.starter.security.RolloutSecurityProperties;
import dev.rollout.starter.security.SecurityAutoConfiguration;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

/** Clients for service-to-service calls. */
@AutoConfiguration(after = SecurityAutoConfiguration.class,
        afterName = "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration")
@EnableConfigurationProperties(ServiceClientProperties.class)
public class ServiceClientAutoConfiguration {

    @Bean
    ServiceClients serviceClients(ObjectProvider<RestClient.Builder> builder, ServiceClientProperties properties,
            RolloutSecurityProperties security, ObjectProvider<CircuitBreakerRegistry> breakers,
            ObjectProvider<RetryRegistry> retries) {
        return new ServiceClients(builder.getIfAvailable(RestClient::builder), properties, security, breakers, retries);
    }
}
