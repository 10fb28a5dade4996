package dev.rollout.metricsgate.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import com.sun.net.httpserver.HttpServer;
import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gate on Prometheus: an HTTP server on loopback answers /api/v1/query with the bodies a real
 * Prometheus 2.42 wrote (fixtures), chosen by the query; empty, NaN, an error and silence all hold.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PrometheusGateTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static HttpServer prometheus;

    static final Map<String, String[]> ANSWERS = Map.of(
            "up_error_ratio", new String[] { "200", "prometheus/query-vector-error-ratio.json" },
            "canary_error_ratio", new String[] { "200", "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                    + "\"result\":[{\"metric\":{\"deployment\":\"canary\"},\"value\":[1795716858.401,\"0.08883553421368547\"]}]}}" },
            "requests_by_deployment", new String[] { "200", "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                    + "\"result\":[{\"metric\":{\"deployment\":\"canary\"},\"value\":[1795716858.401,\"1500\"]},"
                    + "{\"metric\":{\"deployment\":\"stable\"},\"value\":[1795716858.401,\"2500\"]}]}}" },
            "p99_by_deployment", new String[] { "200", "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                    + "\"result\":[{\"metric\":{\"deployment\":\"canary\"},\"value\":[1795716858.401,\"816\"]},"
                    + "{\"metric\":{\"deployment\":\"stable\"},\"value\":[1795716858.401,\"247\"]}]}}" },
            "nothing_here", new String[] { "200", "prometheus/query-empty.json" },
            "zero_by_zero", new String[] { "200", "prometheus/query-nan.json" },
            "scalar_three", new String[] { "200", "prometheus/query-scalar.json" },
            "broken(", new String[] { "400", "prometheus/query-error-bad-promql.json" });

    @BeforeAll
    static void startPrometheus() throws IOException {
        prometheus = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        prometheus.createContext("/api/v1/query", exchange -> {
            String query = URLDecoder.decode(exchange.getRequestURI().getRawQuery().substring("query=".length()),
                    StandardCharsets.UTF_8);
            String[] answer = ANSWERS.getOrDefault(query, new String[] { "200", "prometheus/query-empty.json" });
            byte[] body;
            if (answer[1].startsWith("{")) {
                body = answer[1].getBytes(StandardCharsets.UTF_8);
            }
            else {
                try (InputStream in = PrometheusGateTest.class.getResourceAsStream("/fixtures/" + answer[1])) {
                    body = in.readAllBytes();
                }
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(Integer.parseInt(answer[0]), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        prometheus.start();
    }

    @AfterAll
    static void stopPrometheus() {
        prometheus.stop(0);
    }

    @LocalServerPort
    int port;

    JsonNode evaluate(Http http, UUID rollout, String queries) {
        Http.Answer configured = http.put("/api/rollouts/" + rollout + "/metric-sources/prometheus", "dev-release-manager",
                "{\"baseUrl\":\"http://127.0.0.1:" + prometheus.getAddress().getPort() + "\",\"timeoutMs\":2000,"
                        + "\"queries\":" + queries + "}");
        assertThat(configured.status()).as(configured.body()).isEqualTo(200);
        Http.Answer answer = http.post("/api/rollouts/" + rollout + "/evaluations", "dev-service", "{\"phase\":\"PRODUCTION\"}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        return JSON.readTree(answer.body());
    }

    static JsonNode measurement(JsonNode evaluation, String kpi) {
        for (JsonNode m : evaluation.get("measurements")) {
            if (m.get("kpi").asString().equals(kpi)) {
                return m;
            }
        }
        throw new AssertionError("no " + kpi);
    }

    @Test
    void emptyNanAndErroneousAnswersHoldWithTheirReasons() {
        Http http = Http.localhost(port);
        JsonNode evaluation = evaluate(http, UUID.randomUUID(), "{\"errorRate\":\"nothing_here\",\"latencyMs\":\"zero_by_zero\","
                + "\"criticalErrorRate\":\"broken(\"}");
        assertThat(evaluation.get("verdict").asString()).isEqualTo("HOLD");
        assertThat(measurement(evaluation, "ERROR_RATE_TRIGGER").get("verdict").asString()).isEqualTo("INCONCLUSIVE");
        assertThat(measurement(evaluation, "ERROR_RATE_TRIGGER").get("reason").asString())
                .isEqualTo("the query returned no series (an empty vector)");
        assertThat(measurement(evaluation, "RESPONSE_TIME").get("reason").asString()).contains("NaN");
        assertThat(measurement(evaluation, "CRITICAL_ERROR_RATE").get("reason").asString())
                .contains("bad_data").contains("unclosed left parenthesis");
        assertThat(measurement(evaluation, "SATISFACTION").get("reason").asString()).startsWith("provider error:");
    }

    @Test
    void aPrometheusThatDoesNotAnswerHolds() {
        Http http = Http.localhost(port);
        UUID rollout = UUID.randomUUID();
        http.put("/api/rollouts/" + rollout + "/metric-sources/prometheus", "dev-release-manager",
                "{\"baseUrl\":\"http://127.0.0.1:9\",\"timeoutMs\":500,\"queries\":{\"errorRate\":\"anything\"}}");
        JsonNode evaluation = JSON.readTree(http.post("/api/rollouts/" + rollout + "/evaluations", "dev-service",
                "{\"phase\":\"PRODUCTION\"}").body());
        assertThat(evaluation.get("verdict").asString()).isEqualTo("HOLD");
        assertThat(measurement(evaluation, "ERROR_RATE_TRIGGER").get("reason").asString()).contains("did not answer");
    }

    @Test
    void aValueWithoutARequestCountIsJudgedOnItsValueAndSaysSo() {
        Http http = Http.localhost(port);
        JsonNode evaluation = evaluate(http, UUID.randomUUID(), "{\"errorRate\":\"canary_error_ratio\",\"latencyMs\":\"scalar_three\"}");
        JsonNode errorRate = measurement(evaluation, "ERROR_RATE_TRIGGER");
        assertThat(errorRate.get("verdict").asString()).isEqualTo("FAIL");
        assertThat(errorRate.get("reason").asString()).contains("no request count configured");
        assertThat(evaluation.get("verdict").asString()).isEqualTo("ROLLBACK");
        assertThat(evaluation.get("scope").asString()).isEqualTo("FULL");
        assertThat(measurement(evaluation, "RESPONSE_TIME").get("verdict").asString()).isEqualTo("PASS");
    }

    @Test
    void aRatioOrQuantileOfSeveralSeriesIsNotSummedButHoldsSayingHowManyCameBack() {
        Http http = Http.localhost(port);
        JsonNode evaluation = evaluate(http, UUID.randomUUID(), "{\"errorRate\":\"up_error_ratio\","
                + "\"latencyMs\":\"p99_by_deployment\",\"requests\":\"requests_by_deployment\"}");
        JsonNode latency = measurement(evaluation, "RESPONSE_TIME");
        assertThat(latency.get("verdict").asString()).isEqualTo("INCONCLUSIVE");
        assertThat(latency.get("reason").asString()).contains("returned 2 series").contains("deployment=\"canary\"")
                .contains("histogram_quantile");
        assertThat(latency.path("value").isNull() || latency.path("value").isMissingNode()).isTrue();
        JsonNode errorRate = measurement(evaluation, "ERROR_RATE_TRIGGER");
        assertThat(errorRate.get("verdict").asString()).isEqualTo("INCONCLUSIVE");
        assertThat(errorRate.get("reason").asString()).contains("returned 2 series");
        assertThat(evaluation.get("verdict").asString()).isEqualTo("HOLD");
    }

    @Test
    void aCountOfSeveralSeriesIsTheirSum() {
        Prometheus prometheus = new Prometheus(null, JSON);
        String body = ANSWERS.get("requests_by_deployment")[1];
        assertThat(prometheus.parse(200, body, Prometheus.Aggregation.SUM).value()).isEqualTo(4000.0);
        assertThat(prometheus.parse(200, body, Prometheus.Aggregation.SINGLE).ok()).isFalse();
        assertThat(PrometheusSources.aggregationOf("requests")).isEqualTo(Prometheus.Aggregation.SUM);
        assertThat(PrometheusSources.aggregationOf("latencyMs")).isEqualTo(Prometheus.Aggregation.SINGLE);
        assertThat(PrometheusSources.aggregationOf("availability")).isEqualTo(Prometheus.Aggregation.SINGLE);
    }

    @Test
    void aSourceOnAnInternalAddressIsRefusedAndNeverCalled() {
        for (String url : new String[] { "http://169.254.169.254/latest/meta-data", "http://100.100.100.200/",
                "http://localhost:5432", "http://10.0.0.7:9090", "http://[::ffff:a9fe:a9fe]/", "http://198.18.0.1/" }) {
            Http.Answer answer = Http.localhost(port).put("/api/rollouts/" + UUID.randomUUID() + "/metric-sources/prometheus",
                    "dev-release-manager", "{\"baseUrl\":\"" + url + "\",\"queries\":{\"errorRate\":\"x\"}}");
            assertThat(answer.status()).as(url + ": " + answer.body()).isEqualTo(422);
            assertThat(answer.body()).contains("baseUrl").contains("outbound address policy");
        }
    }

    @Test
    void refusesAFigureTheGateDoesNotRead() {
        Http.Answer answer = Http.localhost(port).put("/api/rollouts/" + UUID.randomUUID() + "/metric-sources/prometheus",
                "dev-release-manager", "{\"baseUrl\":\"http://127.0.0.1:9090\",\"queries\":{\"cpu\":\"x\"}}");
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body()).contains("'cpu' is not a figure the gate reads");
    }

    @Test
    void refusesABaseUrlThatIsNotAUrl() {
        for (String url : new String[] { "http://exa mple.com:9090", "http:///no-host", "ftp://127.0.0.1/" }) {
            Http.Answer answer = Http.localhost(port).put("/api/rollouts/" + UUID.randomUUID() + "/metric-sources/prometheus",
                    "dev-release-manager", "{\"baseUrl\":\"" + url + "\",\"queries\":{\"errorRate\":\"x\"}}");
            assertThat(answer.status()).as(url + ": " + answer.body()).isEqualTo(422);
            assertThat(answer.body()).contains("baseUrl");
        }
    }
}
