package dev.rollout.metricsgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The standalone mode's embedded database (H2 in PostgreSQL mode) takes every migration of the service. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rollout.test.database=embedded",
        "spring.datasource.url=jdbc:h2:mem:metrics_gate;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;"
                + "INIT=CREATE SCHEMA IF NOT EXISTS metrics_gate",
        "spring.datasource.username=sa", "spring.datasource.password=" })
class EmbeddedDatabaseTest {

    @LocalServerPort
    int port;

    @Test
    void startsOnTheEmbeddedDatabaseAndIsReady() {
        assertThat(Http.localhost(port).get("/actuator/health/readiness", null).status()).isEqualTo(200);
    }
}
