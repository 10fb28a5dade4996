package dev.rollout.phaseengine.reconcile;

import dev.rollout.phaseengine.leadership.LeaderLease;
import dev.rollout.phaseengine.leadership.Leadership;
import dev.rollout.phaseengine.report.ReportSchedule;
import dev.rollout.phaseengine.rollout.Rollouts;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/** The leader election and the reconcile loop on its interval. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReconcileProperties.class)
class ReconcileConfiguration {

    @Bean
    Leadership leadership(JdbcTemplate jdbc, ReconcileProperties properties) {
        return new Leadership(new LeaderLease(jdbc, "reconciler", properties.leaseTtl()));
    }

    @Bean
    Reconciler reconciler(Leadership leadership, Rollouts rollouts, RolloutReconciler reconciler, MeterRegistry meters,
            ReportSchedule reports) {
        return new Reconciler(leadership, rollouts, reconciler, meters, reports);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    @ConditionalOnProperty(name = "rollout.reconcile.enabled", matchIfMissing = true)
    static class Loop implements SchedulingConfigurer {

        private final Reconciler reconciler;
        private final ReconcileProperties properties;

        Loop(Reconciler reconciler, ReconcileProperties properties) {
            this.reconciler = reconciler;
            this.properties = properties;
        }

        @Override
        public void configureTasks(ScheduledTaskRegistrar registrar) {
            registrar.addFixedDelayTask(reconciler::tick, properties.interval());
        }
    }
}
