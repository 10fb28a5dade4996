package dev.rollout.metricsgate.evidence;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A JUnit XML test report (Surefire and Failsafe, and the common dialects: a {@code testsuite} root or a
 * {@code testsuites} root with nested suites), counted from its test cases rather than from attributes
 * that dialects fill differently. With Surefire's {@code rerunFailingTestsCount}, a test that failed and then
 * passed carries {@code <flakyFailure>}/{@code <flakyError>}: it passed, and is counted and named as flaky; a
 * test that failed on every run carries {@code <rerunFailure>}/{@code <rerunError>} besides its failure, and
 * says how many runs it failed.
 */
public record TestReport(String file, int tests, int failures, int errors, int skipped, List<Failing> failing,
        int flaky, List<Flaky> flakyTests) {

    /** A test that failed or erred, with what it said, and on how many runs (1 without reruns). */
    public record Failing(String suite, String test, String kind, String type, String message, Integer runs) {
    }

    /** A test that failed, then passed on a rerun. */
    public record Flaky(String suite, String test, int failedRuns, String message) {
    }

    /** A file that is not a JUnit report at all (a Failsafe summary, a Surefire text file): skipped, not refused. */
    static final class NotAReport extends RuntimeException {
        NotAReport(String reason) {
            super(reason);
        }
    }

    public TestReport {
        failing = failing == null ? List.of() : failing;
        flakyTests = flakyTests == null ? List.of() : flakyTests;
    }

    public int passed() {
        return tests - failures - errors - skipped;
    }

    static TestReport parse(String file, InputStream in) {
        int tests = 0;
        int failures = 0;
        int errors = 0;
        int skipped = 0;
        List<Failing> failing = new ArrayList<>();
        List<Flaky> flaky = new ArrayList<>();
        int flakyCount = 0;
        boolean root = false;
        try {
            XMLStreamReader xml = Xml.open(in);
            String suite = null;
            Case current = null;
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals("testcase") && current != null) {
                    if (current.failedKind != null) {
                        if (failing.size() < 50) {
                            failing.add(new Failing(current.className != null ? current.className : suite, current.name,
                                    current.failedKind, current.type, current.message, 1 + current.reruns));
                        }
                    }
                    else if (current.flakyRuns > 0) {
                        flakyCount++;
                        if (flaky.size() < 50) {
                            flaky.add(new Flaky(current.className != null ? current.className : suite, current.name,
                                    current.flakyRuns, current.flakyMessage));
                        }
                    }
                    current = null;
                    continue;
                }
                if (event != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                String name = xml.getLocalName();
                if (!root) {
                    if (!name.equals("testsuite") && !name.equals("testsuites")) {
                        throw new NotAReport("its root element is <" + name + ">, not <testsuite> or <testsuites>: "
                                + "not a JUnit XML report");
                    }
                    root = true;
                }
                switch (name) {
                    case "testsuite" -> suite = xml.getAttributeValue(null, "name");
                    case "testcase" -> {
                        tests++;
                        current = new Case(xml.getAttributeValue(null, "name"), xml.getAttributeValue(null, "classname"));
                    }
                    case "failure", "error" -> {
                        if (name.equals("failure")) {
                            failures++;
                        }
                        else {
                            errors++;
                        }
                        if (current != null) {
                            current.failedKind = name;
                            current.type = xml.getAttributeValue(null, "type");
                            current.message = abbreviate(xml.getAttributeValue(null, "message"));
                        }
                    }
                    case "rerunFailure", "rerunError" -> {
                        if (current != null) {
                            current.reruns++;
                        }
                    }
                    case "flakyFailure", "flakyError" -> {
                        if (current != null) {
                            current.flakyRuns++;
                            if (current.flakyMessage == null) {
                                current.flakyMessage = abbreviate(xml.getAttributeValue(null, "message"));
                            }
                        }
                    }
                    case "skipped" -> skipped++;
                    default -> { }
                }
            }
        }
        catch (XMLStreamException e) {
            throw Xml.malformed(file, e);
        }
        if (!root) {
            throw new MalformedEvidence(file, "", "the file is empty");
        }
        return new TestReport(file, tests, failures, errors, skipped, failing, flakyCount, flaky);
    }

    private static String abbreviate(String message) {
        return message == null ? null : message.length() > 500 ? message.substring(0, 500) : message;
    }

    /** The test case being read. */
    private static final class Case {
        final String name;
        final String className;
        String failedKind;
        String type;
        String message;
        int reruns;
        int flakyRuns;
        String flakyMessage;

        Case(String name, String className) {
            this.name = name;
            this.className = className;
        }
    }
}
