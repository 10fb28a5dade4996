package dev.rollout.metricsgate.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A rollout's KPIs over time, with the limit each is held to as a number the console draws. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KpiSeriesTest {

    @LocalServerPort
    int port;

    @Test
    void everyRuleTheCriteriaWriteHasItsNumberInTheValuesUnit() {
        List<String> components = List.of();
        assertThat(limit(Criteria.rateAtMost(Kpi.ERROR_RATE_TRIGGER, "s", "q", 1L, 1000L, 0.01, 0.95, 10, components)))
                .isEqualTo(new KpiSeries.Limit(0.01, true));
        assertThat(limit(Criteria.rateAtLeast(Kpi.AVAILABILITY, "s", "q", 999L, 1000L, 0.999, 0.95, 10, components)))
                .isEqualTo(new KpiSeries.Limit(0.999, false));
        assertThat(limit(Criteria.meanAbove(Kpi.SATISFACTION, "s", "q", 10, 45, 205, 4.0, 0.95, 5)))
                .isEqualTo(new KpiSeries.Limit(4.0, false));
        assertThat(limit(Criteria.valueBelow(Kpi.RESPONSE_TIME, "s", "q", 120.0, 100L, 500, 10, " ms")))
                .isEqualTo(new KpiSeries.Limit(500, true));
        KpiSeries.Limit degradation = limit(Criteria.degradation("s", "q", 120.0, 110.0, 0.1, components));
        assertThat(degradation.value()).isCloseTo(0.1, offset(1e-12));
        assertThat(degradation.atMost()).isTrue();
        assertThat(KpiSeries.Limit.of("no rule")).isEmpty();
        assertThat(KpiSeries.Limit.of(null)).isEmpty();
    }

    @Test
    void eachBatchsHealthIsOneSourceOverTheBatchesAndPushedSamplesAnother() {
        Instant t = Instant.parse("2026-12-06T00:00:00Z");
        List<KpiSeries.Measured> measured = List.of(
                new KpiSeries.Measured(t, Phase.EXPANSION, 1, Criteria.rateAtLeast(Kpi.AGENT_RESPONSE_RATE,
                        "cluster-batcher batch 1 health", "q", 990L, 1000L, 0.985, 0.95, 10, List.of())),
                new KpiSeries.Measured(t.plusSeconds(60), Phase.EXPANSION, 2, Criteria.rateAtLeast(Kpi.AGENT_RESPONSE_RATE,
                        "cluster-batcher batch 2 health", "q", 999L, 1000L, 0.985, 0.95, 10, List.of())),
                new KpiSeries.Measured(t.plusSeconds(60), Phase.EXPANSION, 2, Criteria.valueBelow(Kpi.RESPONSE_TIME,
                        "pushed samples", "q", 120.0, 1000L, 200, 10, " ms")),
                new KpiSeries.Measured(t.plusSeconds(60), Phase.EXPANSION, 2, Criteria.valueBelow(Kpi.RESPONSE_TIME,
                        "cluster-batcher batch 2 health", "q", 40.0, 1000L, 200, 10, " ms")),
                new KpiSeries.Measured(t.plusSeconds(90), Phase.EXPANSION, 2, Measurement.inconclusive(Kpi.ERROR_RATE_TRIGGER,
                        "pushed samples", "q", "<= 1%", "no data")));
        List<KpiSeries.Series> series = KpiSeries.of(measured);
        assertThat(series).extracting(s -> s.kpi() + " " + s.source() + " " + s.points().size()).containsExactly(
                "AGENT_RESPONSE_RATE cluster-batcher batch health 2", "RESPONSE_TIME pushed samples 1",
                "RESPONSE_TIME cluster-batcher batch health 1");
        assertThat(series.get(0).points()).extracting(KpiSeries.Point::batch).containsExactly(1, 2);
    }

    private static KpiSeries.Limit limit(Measurement measurement) {
        return KpiSeries.Limit.of(measurement.threshold()).orElseThrow(() -> new AssertionError(measurement.threshold()));
    }

    @Test
    void eachEvaluationAddsAPointToItsKpisSeriesOldestFirst() {
        Http http = Http.localhost(port);
        UUID rollout = UUID.randomUUID();
        for (int errors : new int[] { 10, 40 }) {
            assertThat(http.post("/api/rollouts/" + rollout + "/samples", "dev-service", """
                    {"samples": [{"metric": "REQUESTS", "value": 10000, "batch": 1},
                                 {"metric": "ERRORS", "value": %d, "batch": 1}]}""".formatted(errors)).status())
                    .isEqualTo(200);
            Http.Answer evaluation = http.post("/api/rollouts/" + rollout + "/evaluations", "dev-service",
                    "{\"phase\":\"EXPANSION\",\"batch\":1}");
            assertThat(evaluation.status()).as(evaluation.body()).isEqualTo(201);
        }
        Http.Answer answer = http.get("/api/rollouts/" + rollout + "/kpi-series", "dev-viewer");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode errorRate = null;
        for (JsonNode series : JsonMapper.builder().build().readTree(answer.body())) {
            if (series.get("kpi").asString().equals("ERROR_RATE_TRIGGER") && series.get("components").isEmpty()) {
                errorRate = series;
            }
        }
        assertThat(errorRate).as(answer.body()).isNotNull();
        assertThat(errorRate.get("atMost").asBoolean()).isTrue();
        assertThat(errorRate.get("limit").asDouble()).isPositive().isLessThan(1);
        JsonNode points = errorRate.get("points");
        assertThat(points).hasSize(2);
        // samples add up: 10 of 10,000, then 50 of 20,000
        assertThat(points.get(0).get("value").asDouble()).isCloseTo(0.001, offset(1e-9));
        assertThat(points.get(1).get("value").asDouble()).isCloseTo(0.0025, offset(1e-9));
        assertThat(points.get(1).get("batch").asInt()).isEqualTo(1);
        assertThat(points.get(1).get("low").asDouble()).isLessThan(0.0025);

        assertThat(http.get("/api/rollouts/" + rollout + "/kpi-series?evaluations=1", "dev-viewer").body())
                .contains("\"value\":0.0025").doesNotContain("\"value\":0.001,");
        Http.Answer tooMany = http.get("/api/rollouts/" + rollout + "/kpi-series?evaluations=5000", "dev-viewer");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.body()).contains("evaluations: must be between 1 and 2000");
        assertThat(http.get("/api/rollouts/" + rollout + "/kpi-series", "dev-pilot-elite-01").status()).isEqualTo(403);
        assertThat(http.get("/api/rollouts/" + rollout + "/kpi-series", null).status()).isEqualTo(401);
    }
}
