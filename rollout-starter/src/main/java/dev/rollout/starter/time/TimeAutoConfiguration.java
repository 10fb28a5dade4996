package dev.rollout.starter.time;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** The one source of time of every service: tests replace the bean, demos speed it up. */
@AutoConfiguration
@EnableConfigurationProperties(RolloutTimeProperties.class)
public class TimeAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TimeAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    Clock clock(RolloutTimeProperties properties) {
        if (properties.paceFile() != null) {
            ScaledClock clock = ScaledClock.following(Clock.systemUTC(), properties.paceFile());
            log.warn("Time follows the pace in {} (rollout.time.pace-file), {} times faster than real time now",
                    properties.paceFile(), clock.speed());
            return clock;
        }
        if (properties.speed() == 1.0) {
            return Clock.systemUTC();
        }
        Clock base = Clock.systemUTC();
        ScaledClock clock = new ScaledClock(base, properties.origin() != null ? properties.origin() : base.instant(),
                properties.speed());
        log.warn("Time runs {} times faster than real time from {} (rollout.time.speed)", properties.speed(),
                properties.origin());
        return clock;
    }
}
