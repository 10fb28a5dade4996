package dev.rollout.starter.outbound;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** One outbound client and one address policy for every call to an address a user gave. */
@AutoConfiguration
@EnableConfigurationProperties(OutboundProperties.class)
public class OutboundAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    OutboundHttp outboundHttp(OutboundProperties properties) {
        return new OutboundHttp(properties);
    }
}
