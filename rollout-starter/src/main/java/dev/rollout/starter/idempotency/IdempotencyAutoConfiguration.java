package dev.rollout.starter.idempotency;

import javax.sql.DataSource;

import dev.rollout.starter.web.ProblemWriter;
import dev.rollout.starter.web.WebAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Idempotency keys in every service that has a database (their table comes with the service's Flyway
 * migrations, from the starter's {@code db/rollout-starter} location). Runs after the security filters, so
 * keys belong to the authenticated caller, and claims a key only after the endpoint's role check.
 */
@AutoConfiguration(after = WebAutoConfiguration.class,
        afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(JdbcTemplate.class)
@ConditionalOnBean(DataSource.class)
@ConditionalOnProperty(name = "rollout.idempotency.enabled", matchIfMissing = true)
@EnableConfigurationProperties(IdempotencyProperties.class)
public class IdempotencyAutoConfiguration {

    /** Just after Spring Security's filter chain (order -100). */
    static final int ORDER = -90;

    @Bean
    IdempotencyStore idempotencyStore(DataSource dataSource, IdempotencyProperties properties) {
        return new IdempotencyStore(new JdbcTemplate(dataSource), properties);
    }

    @Bean
    FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(IdempotencyStore store, ProblemWriter problems) {
        FilterRegistrationBean<IdempotencyFilter> registration = new FilterRegistrationBean<>(new IdempotencyFilter(store, problems));
        registration.setOrder(ORDER);
        return registration;
    }

    /** After the role check, which is ordered first of all interceptors. */
    @Bean
    WebMvcConfigurer idempotencyInterceptor(IdempotencyStore store, ProblemWriter problems) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new IdempotencyInterceptor(store, problems)).order(0);
            }
        };
    }
}
