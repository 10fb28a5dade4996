package dev.rollout.metricsgate.evidence;

import java.io.InputStream;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** Line (and branch) coverage from a JaCoCo XML report or a Cobertura XML report. */
public record CoverageReport(String file, String format, long linesCovered, long linesValid, long branchesCovered,
        long branchesValid) {

    /** Counters that no coverage tool writes (negative, or more covered than there is) are refused, never read. */
    public CoverageReport {
        check(file, "lines", linesCovered, linesValid);
        check(file, "branches", branchesCovered, branchesValid);
    }

    private static void check(String file, String what, long covered, long valid) {
        if (covered < 0 || valid < 0 || covered > valid) {
            throw new MalformedEvidence(file, "", "inconsistent " + what + " counters: " + covered + " covered of " + valid
                    + " (a coverage tool writes 0 <= covered <= valid)");
        }
    }

    public double lineRate() {
        return linesValid == 0 ? Double.NaN : (double) linesCovered / linesValid;
    }

    /** JaCoCo: the report-level counters (direct children of {@code <report>}); the DTD is never loaded. */
    static CoverageReport jacoco(String file, InputStream in) {
        long[] line = null;
        long[] branch = null;
        try {
            XMLStreamReader xml = Xml.open(in);
            int depth = 0;
            boolean root = false;
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    if (!root) {
                        if (!xml.getLocalName().equals("report")) {
                            throw new MalformedEvidence(file, "line " + xml.getLocation().getLineNumber(),
                                    "the root element is <" + xml.getLocalName() + ">, not <report>: not a JaCoCo XML report");
                        }
                        root = true;
                    }
                    if (depth == 2 && xml.getLocalName().equals("counter")) {
                        long[] counter = { Xml.longAttribute(xml, "covered", file), Xml.longAttribute(xml, "missed", file) };
                        if ("LINE".equals(xml.getAttributeValue(null, "type"))) {
                            line = counter;
                        }
                        else if ("BRANCH".equals(xml.getAttributeValue(null, "type"))) {
                            branch = counter;
                        }
                    }
                }
                else if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
        }
        catch (XMLStreamException e) {
            throw Xml.malformed(file, e);
        }
        if (line == null) {
            throw new MalformedEvidence(file, "", "the report has no report-level LINE counter");
        }
        if (line[1] < 0 || (branch != null && branch[1] < 0)) {
            throw new MalformedEvidence(file, "", "a negative missed counter (a coverage tool writes 0 or more)");
        }
        return new CoverageReport(file, "jacoco", line[0], Math.addExact(line[0], line[1]), branch == null ? 0 : branch[0],
                branch == null ? 0 : Math.addExact(branch[0], branch[1]));
    }

    /** Cobertura: the attributes of {@code <coverage>}. */
    static CoverageReport cobertura(String file, InputStream in) {
        try {
            XMLStreamReader xml = Xml.open(in);
            while (xml.hasNext()) {
                if (xml.next() == XMLStreamConstants.START_ELEMENT) {
                    if (!xml.getLocalName().equals("coverage")) {
                        throw new MalformedEvidence(file, "line " + xml.getLocation().getLineNumber(), "the root element is <"
                                + xml.getLocalName() + ">, not <coverage>: not a Cobertura XML report");
                    }
                    if (xml.getAttributeValue(null, "lines-valid") == null) {
                        throw new MalformedEvidence(file, "line " + xml.getLocation().getLineNumber(),
                                "<coverage> has no lines-valid attribute");
                    }
                    return new CoverageReport(file, "cobertura", Xml.longAttribute(xml, "lines-covered", file),
                            Xml.longAttribute(xml, "lines-valid", file), Xml.longAttribute(xml, "branches-covered", file),
                            Xml.longAttribute(xml, "branches-valid", file));
                }
            }
        }
        catch (XMLStreamException e) {
            throw Xml.malformed(file, e);
        }
        throw new MalformedEvidence(file, "", "the file is empty");
    }
}
