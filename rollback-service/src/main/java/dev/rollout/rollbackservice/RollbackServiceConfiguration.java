package dev.rollout.rollbackservice;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The saga's sweep runs on a schedule. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class RollbackServiceConfiguration {
}
