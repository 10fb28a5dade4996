package dev.rollout.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The command against a platform double: what it sends, what it prints, and the exit codes a pipeline reads. */
class RolloutCommandTest {

    static final String ID = "5b3f1c9e-8f7a-4e0b-9a51-2c1d6e7f8a90";

    @RegisterExtension
    static WireMockExtension platform = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Rollout.run(args, Map.of("ROLLOUT_URL", platform.baseUrl(), "ROLLOUT_TOKEN", "dev-ci"),
                new PrintWriter(out), new PrintWriter(err), false);
        return new Run(code, out.toString(), err.toString());
    }

    static String evaluation(String verdict, String scope) {
        return """
                {"id": "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6", "rolloutId": "%s", "phase": "EXPANSION", "batch": 3,
                 "verdict": "%s", "scope": %s, "components": ["planner"],
                 "reasons": ["ERROR_RATE_TRIGGER: 0.0153 > 0.01 for planner"],
                 "measurements": [
                   {"kpi": "AGENT_RESPONSE_RATE", "trigger": false, "source": "cluster-batcher", "value": 0.6842105263157895,
                    "sampleSize": 1000000, "threshold": ">= 98.5%%", "verdict": "FAIL", "reason": "too few answered",
                    "components": []},
                   {"kpi": "ERROR_RATE_TRIGGER", "trigger": true, "source": "prometheus", "value": 8.340283569641367E-6,
                    "sampleSize": 52000, "threshold": "<= 1%%", "confidenceLow": 0.0000012, "confidenceHigh": 0.00002,
                    "verdict": "PASS", "reason": "", "components": ["planner"]}],
                 "evaluatedAt": "2026-12-06T00:27:45.520807Z"}""".formatted(ID, verdict, scope);
    }

    @Test
    void theGateExitsWithItsVerdictAndPrintsEveryMeasurementAsPeopleReadIt() {
        for (var verdict : Map.of("PASS", 0, "HOLD", 2, "ROLLBACK", 3).entrySet()) {
            platform.stubFor(post("/api/rollouts/" + ID + "/evaluations")
                    .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                            .withBody(evaluation(verdict.getKey(), verdict.getKey().equals("ROLLBACK") ? "\"PARTIAL\"" : "null"))));
            Run run = run("gate", ID, "--phase", "expansion", "--batch", "3");
            assertThat(run.code()).as(verdict.getKey() + "\n" + run.err()).isEqualTo(verdict.getValue());
            assertThat(run.out()).startsWith(verdict.getKey() + ": EXPANSION batch 3 gate of rollout " + ID)
                    .contains("2026-12-06 00:27 UTC").contains("68.4%").contains("0.000834%")
                    .contains("[0.00012%, 0.002%]").contains("1,000,000").contains("cluster-batcher")
                    .doesNotContain("0.6842105263157895").doesNotContain("E-6").doesNotContain("45.520807");
        }
        platform.verify(postRequestedFor(urlEqualTo("/api/rollouts/" + ID + "/evaluations"))
                .withHeader("Authorization", equalTo("Bearer dev-ci"))
                .withRequestBody(equalToJson("{\"phase\": \"EXPANSION\", \"batch\": 3}")));
    }

    @Test
    void gateWaitEvaluatesAgainWhileTheVerdictIsHold() {
        platform.stubFor(post("/api/rollouts/" + ID + "/evaluations").inScenario("soak")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("passed")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(evaluation("HOLD", "null"))));
        platform.stubFor(post("/api/rollouts/" + ID + "/evaluations").inScenario("soak").whenScenarioStateIs("passed")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(evaluation("PASS", "null"))));
        Run run = run("gate", ID, "--phase", "DEVELOPMENT", "--wait", "--every", "PT0.1S");
        assertThat(run.code()).isZero();
        assertThat(run.err()).contains("HOLD (evaluation 1): ERROR_RATE_TRIGGER");
        assertThat(run.out()).startsWith("PASS: ");
        platform.verify(2, postRequestedFor(urlEqualTo("/api/rollouts/" + ID + "/evaluations")));
    }

    @Test
    void aRefusalIsExitOneWithTheProblemSaid() {
        platform.stubFor(post("/api/rollouts/" + ID + "/pause").willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/problem+json").withBody("""
                        {"type": "about:blank", "title": "Conflict", "status": 409,
                         "detail": "PAUSE is not allowed from COMPLETED"}""")));
        Run run = run("pause", ID, "--reason", "night");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("rollout: 409 Conflict: PAUSE is not allowed from COMPLETED");

        platform.stubFor(get("/api/rollouts/" + ID).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"title\": \"Unauthorized\", \"status\": 401, \"detail\": \"a bearer token is needed\"}")));
        assertThat(run("status", ID).err()).contains("401 Unauthorized").contains("ROLLOUT_TOKEN");
    }

    @Test
    void aMistypedCommandLineIsExitOneNotAVerdict() {
        Run run = run("gate", ID);
        assertThat(run.code()).as("2 would read as HOLD").isEqualTo(1);
        assertThat(run.err()).contains("--phase");
        assertThat(run("rolback", ID).err()).contains("rollback");
    }

    @Test
    void evidenceUploadSendsTheReportsItFindsAndSkipsWhatIsNotOne(@TempDir Path build) throws Exception {
        Path reports = Files.createDirectories(build.resolve("target/surefire-reports"));
        Files.writeString(reports.resolve("TEST-dev.rollout.PlanTest.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <testsuite name="dev.rollout.PlanTest" tests="2" failures="0" errors="0" skipped="0" time="0.1">
                  <testcase name="a" classname="dev.rollout.PlanTest" time="0.05"/>
                  <testcase name="b" classname="dev.rollout.PlanTest" time="0.05"/>
                </testsuite>""");
        Files.writeString(reports.resolve("dev.rollout.PlanTest.xml"), "<?xml version=\"1.0\"?><notes/>");
        Files.writeString(reports.resolve("dev.rollout.PlanTest.txt"), "Tests run: 2");
        Files.createDirectories(build.resolve("target/site/jacoco"));
        Files.writeString(build.resolve("target/site/jacoco/jacoco.xml"), "<?xml version=\"1.0\"?><!DOCTYPE report PUBLIC "
                + "\"-//JACOCO//DTD Report 1.1//EN\" \"report.dtd\"><report name=\"x\"><sessioninfo id=\"s\" start=\"1\" "
                + "dump=\"2\"/><counter type=\"LINE\" missed=\"1\" covered=\"9\"/></report>");
        platform.stubFor(post("/api/rollouts/" + ID + "/evidence").willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"uploadId": "1a2b3c4d-0000-4000-8000-000000000001", "rolloutId": "%s",
                         "files": [{"type": "JUNIT", "file": "TEST-dev.rollout.PlanTest.xml", "summary": {"tests": 2, "failures": 0}},
                                   {"type": "JACOCO", "file": "jacoco.xml", "summary": {"lineCoverage": 0.9}}],
                         "skipped": []}""".formatted(ID))));
        Run run = run("evidence", "upload", ID, "--dir", build.toString(), "--junit", "target/surefire-reports/*.xml",
                "--jacoco", "target/**/jacoco.xml", "--sarif", "target/spotbugs*.sarif");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err()).contains("skipped " + reports.resolve("dev.rollout.PlanTest.xml") + ": not a JUnit XML report")
                .contains("--sarif 'target/spotbugs*.sarif' matches no file").doesNotContain("PlanTest.txt");
        assertThat(run.out()).contains("uploaded 2 file(s)").contains("junit  TEST-dev.rollout.PlanTest.xml  tests 2, failures 0");
        platform.verify(postRequestedFor(urlPathEqualTo("/api/rollouts/" + ID + "/evidence"))
                .withHeader("Content-Type", containing("multipart/form-data"))
                .withRequestBody(containing("name=\"junit\"; filename=\"TEST-dev.rollout.PlanTest.xml\""))
                .withRequestBody(containing("name=\"jacoco\"; filename=\"jacoco.xml\""))
                .withRequestBody(matching("(?s)^(?!.*<notes/>).*$")));

        assertThat(run("evidence", "upload", ID, "--dir", build.toString(), "--junit", "nothing/*.xml").code())
                .as("nothing to upload is an error").isEqualTo(1);
    }

    @Test
    void aPartialRollbackNamesItsComponentsAndIsSentOnce() {
        platform.stubFor(post("/api/rollbacks").willReturn(aResponse().withStatus(202)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"started": true, "message": "Rollback 7 started",
                         "rollback": {"id": "7c6b5a49-0000-4000-8000-000000000007", "scope": "PARTIAL",
                                      "components": ["planner", "memory"], "status": "REQUESTED", "steps": []}}""")));
        Run run = run("rollback", ID, "--components", "planner,memory", "--reason", "error rate 1.5%");
        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("Rollback 7 started (PARTIAL [\"planner\",\"memory\"])");
        platform.verify(postRequestedFor(urlEqualTo("/api/rollbacks"))
                .withHeader("Idempotency-Key", matching("[0-9a-f-]{36}"))
                .withRequestBody(equalToJson("""
                        {"rolloutId": "%s", "scope": "PARTIAL", "components": ["planner", "memory"],
                         "reason": "error rate 1.5%%"}""".formatted(ID))));
    }

    @Test
    void jsonOutputIsThePlatformsAnswer() throws Exception {
        platform.stubFor(get("/api/rollouts/" + ID).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"id\": \"" + ID + "\", \"status\": \"EXPANSION\", \"batch\": 3, \"batches\": 20}")));
        Run run = run("status", ID, "-o", "json");
        assertThat(run.code()).isZero();
        assertThat(Api.JSON.readTree(run.out()).path("batches").asInt()).isEqualTo(20);
        Run text = run("status", ID);
        assertThat(text.out()).contains("EXPANSION, batch 3 of 20");
    }

    @Test
    void watchPrintsALinePerMoveAndEndsWithTheOutcome() {
        String[] states = { "{\"status\": \"EXPANSION\", \"phase\": \"EXPANSION\", \"batch\": 1, \"batches\": 3}",
                "{\"status\": \"EXPANSION\", \"phase\": \"EXPANSION\", \"batch\": 1, \"batches\": 3}",
                "{\"status\": \"EXPANSION\", \"phase\": \"EXPANSION\", \"batch\": 2, \"batches\": 3}",
                "{\"status\": \"PARTIALLY_ROLLED_BACK\", \"phase\": \"EXPANSION\", \"batch\": 2, \"batches\": 3,"
                        + " \"statusReason\": \"planner reverted\"}",
                "{\"status\": \"EXPANSION\", \"phase\": \"EXPANSION\", \"batch\": 3, \"batches\": 3, \"statusReason\": \"x\","
                        + " \"lastEvaluation\": {\"verdict\": \"PASS\", \"phase\": \"EXPANSION\", \"batch\": 2}}",
                "{\"status\": \"ROLLED_BACK\", \"phase\": \"EXPANSION\", \"batch\": 3, \"batches\": 3,"
                        + " \"statusReason\": \"FULL rollback finished\"}" };
        for (int i = 0; i < states.length; i++) {
            platform.stubFor(get("/api/rollouts/" + ID).inScenario("watch")
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "s" + i).willSetStateTo("s" + (i + 1))
                    .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(states[i])));
        }
        StringWriter out = new StringWriter();
        int code = Rollout.run(new String[] { "watch", ID, "--every", "PT0.05S" },
                Map.of("ROLLOUT_URL", platform.baseUrl()), new PrintWriter(out), new PrintWriter(new StringWriter()), true);
        assertThat(code).as("rolled back").isEqualTo(3);
        assertThat(out.toString().lines()).as("a partial rollback is watched through").hasSize(5);
        assertThat(out.toString()).contains("batch 1 of 3 [#######-------------]").contains("batch 2 of 3 [#############-------]")
                .contains("PARTIALLY_ROLLED_BACK batch 2 of 3").contains("planner reverted")
                .contains("batch 3 of 3 [####################]  last gate PASS (EXPANSION batch 2)")
                .contains("ROLLED_BACK").contains("FULL rollback finished");
    }
}
