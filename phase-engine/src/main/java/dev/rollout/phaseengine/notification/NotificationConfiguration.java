package dev.rollout.phaseengine.notification;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/** The dispatcher runs on its own interval, apart from the reconcile loop: a slow receiver never delays a rollout. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NotificationProperties.class)
class NotificationConfiguration {

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    @ConditionalOnProperty(name = "rollout.notifications.enabled", matchIfMissing = true)
    static class Sending implements SchedulingConfigurer {

        private final Dispatcher dispatcher;
        private final NotificationProperties properties;

        Sending(Dispatcher dispatcher, NotificationProperties properties) {
            this.dispatcher = dispatcher;
            this.properties = properties;
        }

        @Override
        public void configureTasks(ScheduledTaskRegistrar registrar) {
            registrar.addFixedDelayTask(dispatcher::dispatch, properties.dispatchEvery());
        }
    }
}
