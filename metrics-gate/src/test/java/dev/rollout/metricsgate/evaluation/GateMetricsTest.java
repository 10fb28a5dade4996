package dev.rollout.metricsgate.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.UUID;

import dev.rollout.starter.test.Http;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What the latest evaluation measured is published per KPI ({@code rollout.gate.measured}): the degradation alert
 * reads the response time's change against the baseline the gate measured.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GateMetricsTest {

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Test
    void theLatestEvaluationsDegradationIsPublishedForTheAlert() {
        Http http = Http.localhost(port);
        UUID rollout = UUID.randomUUID();
        assertThat(http.post("/api/rollouts/" + rollout + "/samples", "dev-service", """
                {"samples": [{"metric": "REQUESTS", "value": 10000}, {"metric": "ERRORS", "value": 10},
                 {"metric": "LATENCY_MS", "variant": "CANARY", "value": 130, "count": 5000},
                 {"metric": "LATENCY_MS", "variant": "BASELINE", "value": 100, "count": 5000}]}""").status())
                .isEqualTo(200);
        Http.Answer evaluation = http.post("/api/rollouts/" + rollout + "/evaluations", "dev-service",
                "{\"phase\":\"PILOT\"}");
        assertThat(evaluation.status()).as(evaluation.body()).isEqualTo(201);
        assertThat(evaluation.body()).contains("DEGRADATION_TRIGGER");

        double degradation = meters.get("rollout.gate.measured").tag("kpi", "DEGRADATION_TRIGGER")
                .tag("rollout", rollout.toString()).tag("phase", "PILOT").gauge().value();
        assertThat(degradation).isCloseTo(0.30, offset(1e-9));
    }
}
