package dev.rollout.metricsgate.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import dev.rollout.starter.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A CI job uploads what its tools wrote; the release manager reads the Phase 1 verdict and its reasons. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PhaseOneGateTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String CLEAN_SARIF = """
            {"version":"2.1.0","runs":[{"tool":{"driver":{"name":"SpotBugs","rules":[{"id":"CT_CONSTRUCTOR_THROW",
             "properties":{"tags":["BAD_PRACTICE"]}}]}},"results":[{"ruleId":"CT_CONSTRUCTOR_THROW","ruleIndex":0,
             "level":"note","message":{"text":"constructor throws"}}]}]}""";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;
    UUID rollout;

    @BeforeEach
    void setUp() {
        http = Http.localhost(port);
        rollout = UUID.randomUUID();
    }

    static byte[] fixture(String path) {
        try (InputStream in = PhaseOneGateTest.class.getResourceAsStream("/fixtures/" + path)) {
            return in.readAllBytes();
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A multipart upload as curl -F type=@file sends it. */
    Http.Answer upload(String token, Map<String, byte[]> parts) {
        String boundary = "----rollout" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        parts.forEach((key, content) -> {
            String type = key.substring(0, key.indexOf('|'));
            String file = key.substring(key.indexOf('|') + 1);
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + type + "\"; filename=\""
                    + file + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(content);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        });
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return http.send(http.request("/api/rollouts/" + rollout + "/evidence", token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    Map<String, byte[]> realFixtures() {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("junit|TEST-com.example.shop.PriceCalculatorTest.xml",
                fixture("junit/all-pass/TEST-com.example.shop.PriceCalculatorTest.xml"));
        parts.put("junit|TEST-com.example.shop.SkuParserTest.xml", fixture("junit/all-pass/TEST-com.example.shop.SkuParserTest.xml"));
        parts.put("jacoco|jacoco.xml", fixture("coverage/jacoco-all-pass.xml"));
        parts.put("sarif|spotbugs.sarif", fixture("sarif/spotbugs-findsecbugs.sarif"));
        parts.put("jmh-baseline|jmh-baseline.json", fixture("jmh/jmh-avgt-baseline.json"));
        parts.put("jmh|jmh-result.json", fixture("jmh/jmh-avgt-regressed.json"));
        return parts;
    }

    JsonNode evaluate(String phase) {
        Http.Answer answer = http.post("/api/rollouts/" + rollout + "/evaluations", "dev-service",
                "{\"phase\":\"" + phase + "\"}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        return JSON.readTree(answer.body());
    }

    static JsonNode measurement(JsonNode evaluation, String kpi) {
        for (JsonNode m : evaluation.get("measurements")) {
            if (m.get("kpi").asString().equals(kpi)) {
                return m;
            }
        }
        throw new AssertionError("no " + kpi + " in " + evaluation);
    }

    @Test
    void theRealFixturesHoldPhaseOneWithEveryReasonAndItsNumbers() {
        Http.Answer uploaded = upload("dev-ci", realFixtures());
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
        assertThat(uploaded.body()).contains("\"linesCovered\":39");

        JsonNode evaluation = evaluate("DEVELOPMENT");
        assertThat(evaluation.get("verdict").asString()).isEqualTo("HOLD");
        assertThat(measurement(evaluation, "TESTS").get("verdict").asString()).isEqualTo("PASS");
        assertThat(measurement(evaluation, "TESTS").get("reason").asString())
                .isEqualTo("7 tests in 2 files: 6 passed, 0 failed, 0 errors, 1 skipped");
        assertThat(measurement(evaluation, "COVERAGE").get("reason").asString())
                .isEqualTo("line coverage 68.421% (39 of 57 lines) is below 80%");
        assertThat(measurement(evaluation, "SECURITY_SCAN").get("reason").asString())
                .contains("1 critical of 7 findings: DMI_CONSTANT_DB_PASSWORD (unscored error)");
        assertThat(measurement(evaluation, "BENCHMARKS").get("reason").asString())
                .contains("1 of 2 benchmarks regressed: com.example.bench.PricingBenchmark.payloadChecksum 3789.2 ns/op"
                        + " vs baseline 2767.5 (36.916% worse)");

        Http.Answer why = http.get("/api/evaluations/" + evaluation.get("id").asString(), "dev-viewer");
        assertThat(why.status()).isEqualTo(200);
        assertThat(why.body()).contains("\"verdict\":\"HOLD\"").contains("\"threshold\":\">= 80%\"")
                .contains("\"linesValid\":57");
        assertThat(http.get("/api/rollouts/" + rollout + "/evaluations", "dev-viewer").body()).contains("\"HOLD\"");
    }

    @Test
    void failingTestsAreNamed() {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("junit|a.xml", fixture("junit/with-failures/TEST-com.example.shop.PriceCalculatorTest.xml"));
        parts.put("junit|b.xml", fixture("junit/with-failures/TEST-com.example.shop.SkuParserTest.xml"));
        upload("dev-ci", parts);
        JsonNode tests = measurement(evaluate("DEVELOPMENT"), "TESTS");
        assertThat(tests.get("verdict").asString()).isEqualTo("FAIL");
        assertThat(tests.get("reason").asString()).contains("4 passed, 1 failed, 1 errors, 1 skipped")
                .contains("splitKeepsRemainderInLastPart (failure)").contains("variantLabelDefaultsToStandard (error)");
    }

    @Test
    void passesWhenEveryCriterionPassesAndWhatIfChangesNothingStored() {
        assertThat(http.put("/api/rollouts/" + rollout + "/kpi-policy", "dev-release-manager", "{\"coverageMin\": 0.6}")
                .status()).isEqualTo(200);
        Map<String, byte[]> parts = realFixtures();
        parts.put("sarif|spotbugs.sarif", CLEAN_SARIF.getBytes());
        parts.put("jmh|jmh-result.json", fixture("jmh/jmh-avgt-baseline.json"));
        assertThat(upload("dev-ci", parts).status()).isEqualTo(201);
        JsonNode evaluation = evaluate("DEVELOPMENT");
        assertThat(evaluation.get("verdict").asString()).as(evaluation.toString()).isEqualTo("PASS");

        int stored = jdbc.queryForObject("SELECT count(*) FROM evaluation WHERE rollout_id = ?", Integer.class, rollout);
        Http.Answer whatIf = http.post("/api/rollouts/" + rollout + "/what-if", "dev-release-manager",
                "{\"phase\":\"DEVELOPMENT\",\"thresholds\":{\"coverageMin\":0.9}}");
        assertThat(whatIf.status()).isEqualTo(200);
        assertThat(whatIf.body()).contains("\"verdict\":\"HOLD\"").contains("is below 90%");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM evaluation WHERE rollout_id = ?", Integer.class, rollout))
                .isEqualTo(stored);
    }

    @Test
    void aWholeReportFolderUploadsWithItsNonReportFilesSkippedAndFlakyTestsNamed() {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        for (String file : new String[] { "TEST-com.example.CheckoutTest.xml", "com.example.CheckoutTest.txt",
                "TEST-com.example.CheckoutIT.xml", "com.example.CheckoutIT.txt", "failsafe-summary.xml" }) {
            parts.put("junit|" + file, fixture("junit/flaky/" + file));
        }
        Http.Answer uploaded = upload("dev-ci", parts);
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(uploaded.body());
        assertThat(body.get("files")).hasSize(2);
        assertThat(body.get("skipped").toString()).contains("failsafe-summary.xml").contains("Failsafe summary")
                .contains("com.example.CheckoutTest.txt").contains("not an XML file");

        JsonNode tests = measurement(evaluate("DEVELOPMENT"), "TESTS");
        assertThat(tests.get("verdict").asString()).isEqualTo("FAIL");
        assertThat(tests.get("reason").asString())
                .contains("6 tests in 2 files: 4 passed, 2 failed")
                .contains("com.example.CheckoutTest.refundRoundsDown (failure on all 3 runs)")
                .contains("2 flaky (failed, then passed on a rerun): ")
                .contains("com.example.CheckoutTest.paymentGatewayAnswersInTime (failed 1 run)")
                .contains("com.example.CheckoutIT.paymentGatewayAnswersInTime (failed 1 run)");
        assertThat(tests.get("figures").get("flaky").asInt()).isEqualTo(2);
    }

    @Test
    void anUploadOfNothingButNonReportFilesIsA422ThatNamesThem() {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("junit|failsafe-summary.xml", fixture("junit/flaky/failsafe-summary.xml"));
        Http.Answer answer = upload("dev-ci", parts);
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body()).contains("holds no evidence").contains("failsafe-summary.xml");
    }

    @Test
    void noEvidenceIsAHoldThatSaysSo() {
        JsonNode evaluation = evaluate("DEVELOPMENT");
        assertThat(evaluation.get("verdict").asString()).isEqualTo("HOLD");
        assertThat(evaluation.get("reasons").toString()).contains("no test report has been uploaded")
                .contains("no coverage report").contains("no security scan").contains("no benchmark results");
    }

    @Test
    void withinTheInconclusiveLimitAHoldDoesNotConcludeAndBeyondItItDoes() {
        assertThat(evaluate("DEVELOPMENT").get("conclusive").asBoolean()).as("by default a HOLD concludes").isTrue();
        rollout = UUID.randomUUID();
        assertThat(http.put("/api/rollouts/" + rollout + "/kpi-policy", "dev-release-manager", "{\"inconclusiveLimit\": 1}")
                .status()).isEqualTo(200);

        JsonNode first = evaluate("DEVELOPMENT");
        assertThat(first.get("verdict").asString()).isEqualTo("HOLD");
        assertThat(first.get("conclusive").asBoolean()).isFalse();
        assertThat(first.get("reasons").toString()).contains("(inconclusive 1 of 1 tolerated: measured again)");

        JsonNode second = evaluate("DEVELOPMENT");
        assertThat(second.get("verdict").asString()).isEqualTo("HOLD");
        assertThat(second.get("conclusive").asBoolean()).as("the second inconclusive measurement is one too many").isTrue();
        assertThat(http.get("/api/evaluations/" + first.get("id").asString(), "dev-viewer").body())
                .contains("\"conclusive\":false").contains("\"inconclusiveTolerated\":true");
    }

    @Test
    void aMalformedFileRefusesTheWholeUploadSayingWhereItBroke() {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("junit|ok.xml", fixture("junit/all-pass/TEST-com.example.shop.SkuParserTest.xml"));
        parts.put("jacoco|broken.xml", "<report name=\"x\">\n<counter type=\"LINE\" missed=\"1\" covered=\"2\"/>\n<oops".getBytes());
        Http.Answer answer = upload("dev-ci", parts);
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body()).contains("broken.xml (line 3");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM evidence WHERE rollout_id = ?", Integer.class, rollout)).isZero();
        Http.Answer unknown = http.post("/api/rollouts/" + rollout + "/evidence?type=pdf", "dev-ci", "application/xml",
                "<a/>", Map.of());
        assertThat(unknown.status()).isEqualTo(400);
        Http.Answer raw = http.post("/api/rollouts/" + rollout + "/evidence?type=cobertura", "dev-ci", "application/xml",
                new String(fixture("coverage/cobertura-coveragepy.xml")), Map.of("X-File-Name", "coverage.xml"));
        assertThat(raw.status()).isEqualTo(201);
        assertThat(raw.body()).contains("\"linesCovered\":21");
    }

    @Test
    void anOverrideOutsideItsRangeIsA422ThatNamesIt() {
        Http.Answer answer = http.put("/api/rollouts/" + rollout + "/kpi-policy", "dev-release-manager",
                "{\"errorRateRollback\": 1.5, \"latency\": 3}");
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body()).contains("errorRateRollback = 1.5 is outside its range 0.0 to 1.0")
                .contains("'latency' is not a threshold of the gate");
        assertThat(http.get("/api/rollouts/" + rollout + "/kpi-policy", "dev-viewer").body()).contains("\"source\":\"default\"");
    }

    @Test
    void refusesTheRolesThatMayNotUploadOrEvaluate() {
        assertThat(upload("dev-viewer", realFixtures()).status()).isEqualTo(403);
        assertThat(upload("dev-agent-a-1", realFixtures()).status()).isEqualTo(403);
        assertThat(http.post("/api/rollouts/" + rollout + "/evaluations", "dev-agent-a-1", "{\"phase\":\"DEVELOPMENT\"}")
                .status()).isEqualTo(403);
        assertThat(http.post("/api/rollouts/" + rollout + "/evaluations", "dev-pilot-p1", "{\"phase\":\"DEVELOPMENT\"}")
                .status()).isEqualTo(403);
        assertThat(http.put("/api/rollouts/" + rollout + "/kpi-policy", "dev-ci", "{}").status()).isEqualTo(403);
    }
}
