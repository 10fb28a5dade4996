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
 * that dialects fill differently.
 */
public record TestReport(String file, int tests, int failures, int errors, int skipped, List<Failing> failing) {

    /** A test that failed or erred, with what it said. */
    public record Failing(String suite, String test, String kind, String type, String message) {
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
        boolean root = false;
        try {
            XMLStreamReader xml = Xml.open(in);
            String suite = null;
            String testCase = null;
            String testClass = null;
            while (xml.hasNext()) {
                int event = xml.next();
                if (event != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                String name = xml.getLocalName();
                if (!root) {
                    if (!name.equals("testsuite") && !name.equals("testsuites")) {
                        throw new MalformedEvidence(file, "line " + xml.getLocation().getLineNumber(), "the root element is <"
                                + name + ">, not <testsuite> or <testsuites>: not a JUnit XML report");
                    }
                    root = true;
                }
                switch (name) {
                    case "testsuite" -> suite = xml.getAttributeValue(null, "name");
                    case "testcase" -> {
                        tests++;
                        testCase = xml.getAttributeValue(null, "name");
                        testClass = xml.getAttributeValue(null, "classname");
                    }
                    case "failure", "error" -> {
                        if (name.equals("failure")) {
                            failures++;
                        }
                        else {
                            errors++;
                        }
                        if (failing.size() < 50) {
                            String message = xml.getAttributeValue(null, "message");
                            failing.add(new Failing(testClass != null ? testClass : suite, testCase, name,
                                    xml.getAttributeValue(null, "type"), message == null ? null
                                            : message.length() > 500 ? message.substring(0, 500) : message));
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
        return new TestReport(file, tests, failures, errors, skipped, failing);
    }
}
