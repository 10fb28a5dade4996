package dev.rollout.starter.client;

import dev.rollout.starter.security.RolloutSecurityProperties;
import dev.rollout.starter.security.SecurityAutoConfiguration;
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
    ServiceClients serviceClients(org.springframework.beans.factory.ObjectProvider<RestClient.Builder> builder,
            ServiceClientProperties properties, RolloutSecurityProperties security) {
        return new ServiceClients(builder.getIfAvailable(RestClient::builder), properties, security);
    }
}
