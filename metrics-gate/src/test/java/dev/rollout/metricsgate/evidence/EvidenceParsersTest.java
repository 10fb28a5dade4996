package dev.rollout.metricsgate.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The parsers on files written by the real tools (fixtures), and on broken ones. */
class EvidenceParsersTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static byte[] fixture(String path) throws IOException {
        try (InputStream in = EvidenceParsersTest.class.getResourceAsStream("/fixtures/" + path)) {
            return in.readAllBytes();
        }
    }

    static TestReport junit(String path) throws IOException {
        return TestReport.parse(path, new ByteArrayInputStream(fixture(path)));
    }

    @Test
    void readsSurefireReportsCountingFailuresErrorsAndSkips() throws IOException {
        TestReport price = junit("junit/all-pass/TEST-com.example.shop.PriceCalculatorTest.xml");
        TestReport sku = junit("junit/all-pass/TEST-com.example.shop.SkuParserTest.xml");
        assertThat(price.tests() + sku.tests()).isEqualTo(7);
        assertThat(price.skipped()).isEqualTo(1);
        assertThat(price.passed() + sku.passed()).isEqualTo(6);

        TestReport failing = junit("junit/with-failures/TEST-com.example.shop.PriceCalculatorTest.xml");
        assertThat(failing.failures()).isEqualTo(1);
        assertThat(failing.failing()).singleElement().satisfies(f -> {
            assertThat(f.test()).isEqualTo("splitKeepsRemainderInLastPart");
            assertThat(f.type()).isEqualTo("org.opentest4j.AssertionFailedError");
            assertThat(f.message()).contains("expected: <0.02> but was: <0.03>");
        });
        TestReport erring = junit("junit/with-failures/TEST-com.example.shop.SkuParserTest.xml");
        assertThat(erring.errors()).isEqualTo(1);
        assertThat(erring.failing().get(0).type()).isEqualTo("java.lang.NullPointerException");
    }

    /** Surefire 3.5.4 with rerunFailingTestsCount=2 wrote these (fixtures/junit/flaky). */
    @Test
    void aTestThatPassedOnARerunIsFlakyAndOneThatFailedEveryRunSaysHowMany() throws IOException {
        TestReport report = junit("junit/flaky/TEST-com.example.CheckoutTest.xml");
        assertThat(report.tests()).isEqualTo(3);
        assertThat(report.failures()).isEqualTo(1);
        assertThat(report.passed()).isEqualTo(2);
        assertThat(report.flaky()).isEqualTo(1);
        assertThat(report.flakyTests()).singleElement().satisfies(f -> {
            assertThat(f.test()).isEqualTo("paymentGatewayAnswersInTime");
            assertThat(f.failedRuns()).isEqualTo(1);
            assertThat(f.message()).contains("gateway answered after the deadline");
        });
        assertThat(report.failing()).singleElement().satisfies(f -> {
            assertThat(f.test()).isEqualTo("refundRoundsDown");
            assertThat(f.runs()).isEqualTo(3);
        });
    }

    @Test
    void aFailsafeSummaryIsNotAReport() {
        assertThatThrownBy(() -> junit("junit/flaky/failsafe-summary.xml")).isInstanceOf(TestReport.NotAReport.class)
                .hasMessageContaining("<failsafe-summary>");
    }

    @Test
    void readsATestsuitesRootWithNestedSuites() {
        String xml = """
                <testsuites><testsuite name="a"><testcase name="t1"/><testcase name="t2"><failure message="boom"/></testcase>
                </testsuite><testsuite name="b"><testcase name="t3"><skipped/></testcase></testsuite></testsuites>""";
        TestReport report = TestReport.parse("jest.xml", new ByteArrayInputStream(xml.getBytes()));
        assertThat(report.tests()).isEqualTo(3);
        assertThat(report.failures()).isEqualTo(1);
        assertThat(report.skipped()).isEqualTo(1);
    }

    @Test
    void readsJacocoWithoutLoadingItsDtdAndCobertura() throws IOException {
        CoverageReport jacoco = CoverageReport.jacoco("jacoco.xml", new ByteArrayInputStream(fixture("coverage/jacoco-all-pass.xml")));
        assertThat(jacoco.linesCovered()).isEqualTo(39);
        assertThat(jacoco.linesValid()).isEqualTo(57);
        assertThat(jacoco.branchesCovered()).isEqualTo(19);
        assertThat(jacoco.branchesValid()).isEqualTo(31);
        CoverageReport cobertura = CoverageReport.cobertura("coverage.xml",
                new ByteArrayInputStream(fixture("coverage/cobertura-coveragepy.xml")));
        assertThat(cobertura.linesCovered()).isEqualTo(21);
        assertThat(cobertura.linesValid()).isEqualTo(34);
    }

    @Test
    void readsSpotbugsSarifWithoutSecuritySeverity() throws IOException {
        SecurityScan scan = SecurityScan.parse("spotbugs.sarif", fixture("sarif/spotbugs-findsecbugs.sarif"), JSON);
        assertThat(scan.findings()).hasSize(7);
        assertThat(scan.findings()).allSatisfy(f -> assertThat(f.severity()).isNull());
        assertThat(scan.findings().stream().filter(f -> f.level().equals("error")).count()).isEqualTo(2);
        assertThat(scan.critical(9.0)).extracting(SecurityScan.Finding::ruleId).containsExactly("DMI_CONSTANT_DB_PASSWORD");
    }

    @Test
    void takesTheRulesDefaultLevelAndSeverityFromCodeql() throws IOException {
        Path file = Path.of("../../shared/fixtures/sarif/public-codeql-2.11.6-jexl-expression-injection.sarif");
        assumeThat(Files.exists(file)).as("the shared fixtures are beside the project").isTrue();
        SecurityScan scan = SecurityScan.parse(file.getFileName().toString(), Files.readAllBytes(file), JSON);
        assertThat(scan.findings()).hasSize(3).allSatisfy(f -> {
            assertThat(f.level()).isEqualTo("error");
            assertThat(f.severity()).isEqualTo(9.3);
        });
        assertThat(scan.critical(9.0)).hasSize(3);
        assertThat(scan.critical(9.5)).isEmpty();
    }

    @Test
    void findsRulesOnExtensionsThroughToolComponent() throws IOException {
        Path file = Path.of("../../shared/fixtures/sarif/public-codeql-webgoat-v8.2.2-code-scanning-export.sarif");
        assumeThat(Files.exists(file)).as("the shared fixtures are beside the project").isTrue();
        SecurityScan scan = SecurityScan.parse(file.getFileName().toString(), Files.readAllBytes(file), JSON);
        assertThat(scan.findings()).hasSize(24);
        assertThat(scan.critical(9.0)).hasSize(3);
        assertThat(scan.findings().stream().filter(f -> f.severity() != null && f.severity() >= 7.0 && f.severity() < 9.0))
                .hasSize(18);
        assertThat(scan.findings().stream().mapToDouble(f -> f.severity()).max().orElseThrow()).isEqualTo(9.8);
    }

    @Test
    void readsJmhResultsWithNanErrors() throws IOException {
        BenchmarkResults base = BenchmarkResults.parse("base.json", fixture("jmh/jmh-avgt-baseline.json"), JSON);
        assertThat(base.scores()).hasSize(2);
        assertThat(base.scores().get(0).benchmark()).isEqualTo("com.example.bench.PricingBenchmark.basketTotal");
        assertThat(base.scores().get(0).score()).isEqualTo(849.6, Assertions.within(0.1));
        assertThat(base.scores().get(0).error()).isNaN();
    }

    @Test
    void saysWhereABrokenFileBroke() {
        assertThatThrownBy(() -> TestReport.parse("TEST-x.xml", new ByteArrayInputStream(
                "<testsuite>\n<testcase name=\"a\">\n</testsuite>".getBytes())))
                .isInstanceOf(MalformedEvidence.class).hasMessageContaining("TEST-x.xml (line 3");
        assertThatThrownBy(() -> TestReport.parse("report.xml", new ByteArrayInputStream("<coverage/>".getBytes())))
                .hasMessageContaining("not a JUnit XML report");
        assertThatThrownBy(() -> CoverageReport.jacoco("jacoco.xml", new ByteArrayInputStream("<report name=\"x\"/>".getBytes())))
                .hasMessageContaining("no report-level LINE counter");
        assertThatThrownBy(() -> SecurityScan.parse("scan.sarif", "{\"runs\": [".getBytes(), JSON))
                .hasMessageContaining("scan.sarif (line 1");
        assertThatThrownBy(() -> SecurityScan.parse("scan.sarif",
                "{\"version\": \"2.1.0\", \"runs\": [{\"results\": {\"ruleId\": \"x\"}}]}".getBytes(), JSON))
                .isInstanceOf(MalformedEvidence.class).hasMessageContaining("$.runs[0].results")
                .hasMessageContaining("must be an array");
        assertThatThrownBy(() -> CoverageReport.jacoco("jacoco.xml", new ByteArrayInputStream(
                "<report name=\"x\"><counter type=\"LINE\" missed=\"-50\" covered=\"100\"/></report>".getBytes())))
                .isInstanceOf(MalformedEvidence.class).hasMessageContaining("negative missed counter");
        assertThatThrownBy(() -> CoverageReport.cobertura("coverage.xml", new ByteArrayInputStream(
                "<coverage lines-covered=\"120\" lines-valid=\"100\" branches-covered=\"0\" branches-valid=\"0\"/>"
                        .getBytes())))
                .isInstanceOf(MalformedEvidence.class).hasMessageContaining("120 covered of 100");
        assertThatThrownBy(() -> BenchmarkResults.parse("jmh.json", "{}".getBytes(), JSON))
                .hasMessageContaining("not JMH JSON results");
    }

    @Test
    void neverFetchesAnExternalEntity() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<testsuite><testcase name=\"&x;\"/></testsuite>";
        try {
            TestReport report = TestReport.parse("xxe.xml", new ByteArrayInputStream(xxe.getBytes()));
            assertThat(report.toString()).doesNotContain("root:");
        }
        catch (MalformedEvidence refused) {
            assertThat(refused.getMessage()).doesNotContain("root:");
        }
    }
}
