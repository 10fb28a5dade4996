package dev.rollout.metricsgate.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.rollout.metricsgate.evidence.BenchmarkResults;
import dev.rollout.metricsgate.evidence.CoverageReport;
import dev.rollout.metricsgate.evidence.Evidence;
import dev.rollout.metricsgate.evidence.SecurityScan;
import dev.rollout.metricsgate.evidence.TestReport;
import dev.rollout.metricsgate.policy.KpiPolicy;
import dev.rollout.metricsgate.policy.Threshold;

/** Phase 1 from CI evidence: all tests pass, coverage, no critical vulnerability, benchmarks met. */
final class PhaseOneCriteria {

    private PhaseOneCriteria() {
    }

    static List<Measurement> measure(Evidence.Latest evidence, KpiPolicy policy) {
        return List.of(tests(evidence.tests()), coverage(evidence.coverage(), policy), security(evidence.scans(), policy),
                benchmarks(evidence.benchmarks(), evidence.baselines(), evidence.budgets(), policy));
    }

    static Measurement tests(List<TestReport> reports) {
        String source = "CI evidence: JUnit XML";
        if (reports.isEmpty()) {
            return Measurement.inconclusive(Kpi.TESTS, source, "latest upload of type junit", "all tests pass",
                    "no test report has been uploaded");
        }
        int tests = reports.stream().mapToInt(TestReport::tests).sum();
        int failures = reports.stream().mapToInt(TestReport::failures).sum();
        int errors = reports.stream().mapToInt(TestReport::errors).sum();
        int skipped = reports.stream().mapToInt(TestReport::skipped).sum();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("files", reports.stream().map(TestReport::file).toList());
        figures.put("tests", tests);
        figures.put("passed", tests - failures - errors - skipped);
        figures.put("failures", failures);
        figures.put("errors", errors);
        figures.put("skipped", skipped);
        List<TestReport.Failing> failing = reports.stream().flatMap(r -> r.failing().stream()).toList();
        figures.put("failing", failing);
        int flaky = reports.stream().mapToInt(TestReport::flaky).sum();
        List<TestReport.Flaky> flakyTests = reports.stream().flatMap(r -> r.flakyTests().stream()).toList();
        figures.put("flaky", flaky);
        figures.put("flakyTests", flakyTests);
        if (tests == 0) {
            return new Measurement(Kpi.TESTS, false, source, "latest upload of type junit", null, 0L, "all tests pass",
                    null, null, Verdict.INCONCLUSIVE, "the test reports hold no test", List.of(), figures);
        }
        boolean pass = failures == 0 && errors == 0 && tests - skipped > 0;
        String reason = String.format(Locale.ROOT, "%d tests in %d files: %d passed, %d failed, %d errors, %d skipped%s",
                tests, reports.size(), tests - failures - errors - skipped, failures, errors, skipped,
                failing.isEmpty() ? "" : "; failing: " + String.join(", ", failing.stream().limit(5)
                        .map(f -> f.suite() + "." + f.test() + " (" + f.kind()
                                + (f.runs() != null && f.runs() > 1 ? " on all " + f.runs() + " runs" : "") + ")").toList()))
                + (flaky == 0 ? "" : String.format(Locale.ROOT, "; %d flaky (failed, then passed on a rerun): %s", flaky,
                        String.join(", ", flakyTests.stream().limit(5).map(f -> f.suite() + "." + f.test() + " (failed "
                                + f.failedRuns() + (f.failedRuns() == 1 ? " run)" : " runs)")).toList())));
        return new Measurement(Kpi.TESTS, false, source, "latest upload of type junit", (double) (tests - failures - errors
                - skipped), (long) tests, "all tests pass", null, null, pass ? Verdict.PASS : Verdict.FAIL, reason,
                List.of(), figures);
    }

    static Measurement coverage(List<CoverageReport> reports, KpiPolicy policy) {
        double min = policy.get(Threshold.COVERAGE_MIN);
        String source = "CI evidence: JaCoCo/Cobertura XML";
        if (reports.isEmpty()) {
            return Measurement.inconclusive(Kpi.COVERAGE, source, "latest upload of type jacoco or cobertura",
                    ">= " + Criteria.pct(min) + " of lines", "no coverage report has been uploaded");
        }
        long covered = reports.stream().mapToLong(CoverageReport::linesCovered).sum();
        long valid = reports.stream().mapToLong(CoverageReport::linesValid).sum();
        Map<String, Object> figures = Map.of("linesCovered", covered, "linesValid", valid, "files",
                reports.stream().map(r -> r.file() + " (" + r.format() + ")").toList());
        if (valid == 0) {
            return new Measurement(Kpi.COVERAGE, false, source, "line coverage", null, 0L, ">= " + Criteria.pct(min),
                    null, null, Verdict.INCONCLUSIVE, "the coverage reports count no lines", List.of(), figures);
        }
        double rate = (double) covered / valid;
        Verdict verdict = rate >= min ? Verdict.PASS : Verdict.FAIL;
        return new Measurement(Kpi.COVERAGE, false, source, "line coverage", rate, valid, ">= " + Criteria.pct(min), null,
                null, verdict, String.format(Locale.ROOT, "line coverage %s (%d of %d lines) %s %s", Criteria.pct(rate),
                        covered, valid, verdict == Verdict.PASS ? "meets" : "is below", Criteria.pct(min)), List.of(), figures);
    }

    static Measurement security(List<SecurityScan> scans, KpiPolicy policy) {
        double threshold = policy.get(Threshold.CRITICAL_SEVERITY);
        String source = "CI evidence: SARIF";
        String rule = "no finding with security-severity >= " + threshold + " (or, unscored, a security error)";
        if (scans.isEmpty()) {
            return Measurement.inconclusive(Kpi.SECURITY_SCAN, source, "latest upload of type sarif", rule,
                    "no security scan has been uploaded");
        }
        List<SecurityScan.Finding> critical = scans.stream().flatMap(s -> s.critical(threshold).stream()).toList();
        int findings = scans.stream().mapToInt(s -> s.findings().size()).sum();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("scans", scans.stream().map(s -> s.file() + " (" + s.tool() + ")").toList());
        figures.put("findings", findings);
        figures.put("critical", critical);
        Verdict verdict = critical.isEmpty() ? Verdict.PASS : Verdict.FAIL;
        String reason = critical.isEmpty() ? findings + " findings in " + scans.size() + " scans, none critical"
                : critical.size() + " critical of " + findings + " findings: " + String.join(", ", critical.stream()
                        .limit(5).map(f -> f.ruleId() + (f.severity() == null ? " (unscored " + f.level() + ")"
                                : " (" + f.severity() + ")")).toList());
        return new Measurement(Kpi.SECURITY_SCAN, false, source, "latest upload of type sarif", (double) critical.size(),
                (long) findings, rule, null, null, verdict, reason, List.of(), figures);
    }

    static Measurement benchmarks(List<BenchmarkResults> results, List<BenchmarkResults> baselines,
            Map<String, Double> budgets, KpiPolicy policy) {
        double max = policy.get(Threshold.BENCHMARK_REGRESSION_MAX);
        String source = "CI evidence: JMH JSON";
        String rule = "no benchmark worse than its baseline or budget by more than " + Criteria.pct(max);
        if (results.isEmpty()) {
            return Measurement.inconclusive(Kpi.BENCHMARKS, source, "latest upload of type jmh", rule,
                    "no benchmark results have been uploaded");
        }
        Map<String, BenchmarkResults.Score> base = new LinkedHashMap<>();
        baselines.forEach(b -> base.putAll(b.byBenchmark()));
        List<Map<String, Object>> compared = new ArrayList<>();
        List<String> regressions = new ArrayList<>();
        List<String> unjudged = new ArrayList<>();
        for (BenchmarkResults r : results) {
            for (var entry : r.byBenchmark().entrySet()) {
                BenchmarkResults.Score score = entry.getValue();
                Double reference = budgets.get(score.benchmark());
                String against = "budget";
                if (reference == null && base.containsKey(entry.getKey())) {
                    reference = base.get(entry.getKey()).score();
                    against = "baseline";
                }
                if (reference == null || reference.isNaN() || reference <= 0 || Double.isNaN(score.score())) {
                    unjudged.add(score.benchmark());
                    continue;
                }
                double change = score.higherIsBetter() ? (reference - score.score()) / reference
                        : (score.score() - reference) / reference;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("benchmark", score.benchmark());
                row.put("mode", score.mode());
                row.put("score", score.score());
                row.put(against, reference);
                row.put("unit", score.unit());
                row.put("worseBy", change);
                compared.add(row);
                if (change > max) {
                    regressions.add(String.format(Locale.ROOT, "%s %.1f %s vs %s %.1f (%s worse)", score.benchmark(),
                            score.score(), score.unit(), against, reference, Criteria.pct(change)));
                }
            }
        }
        Map<String, Object> figures = Map.of("compared", compared, "withoutBaselineOrBudget", unjudged);
        if (!regressions.isEmpty()) {
            return new Measurement(Kpi.BENCHMARKS, false, source, "latest jmh upload against the latest baseline or budget",
                    (double) regressions.size(), (long) compared.size(), rule, null, null, Verdict.FAIL,
                    regressions.size() + " of " + compared.size() + " benchmarks regressed: " + String.join("; ", regressions),
                    List.of(), figures);
        }
        if (!unjudged.isEmpty()) {
            return new Measurement(Kpi.BENCHMARKS, false, source, "latest jmh upload", null, (long) compared.size(), rule,
                    null, null, Verdict.INCONCLUSIVE, "no baseline or budget for " + String.join(", ", unjudged),
                    List.of(), figures);
        }
        return new Measurement(Kpi.BENCHMARKS, false, source, "latest jmh upload against the latest baseline or budget",
                0.0, (long) compared.size(), rule, null, null, Verdict.PASS, compared.size()
                        + " benchmarks within " + Criteria.pct(max) + " of their baseline or budget", List.of(), figures);
    }
}
