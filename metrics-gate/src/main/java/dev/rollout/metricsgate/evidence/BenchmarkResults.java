package dev.rollout.metricsgate.evidence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** JMH results ({@code -rf json}): each benchmark's score, unit and mode ("NaN" errors are kept as NaN). */
public record BenchmarkResults(String file, List<Score> scores) {

    public record Score(String benchmark, String mode, double score, double error, String unit) {

        /** Throughput modes are better higher; time modes are better lower. */
        public boolean higherIsBetter() {
            return "thrpt".equals(mode);
        }
    }

    public Map<String, Score> byBenchmark() {
        Map<String, Score> map = new LinkedHashMap<>();
        scores.forEach(s -> map.put(s.benchmark() + (s.mode() == null ? "" : "/" + s.mode()), s));
        return map;
    }

    static BenchmarkResults parse(String file, byte[] content, JsonMapper json) {
        JsonNode root;
        try {
            root = json.readTree(content);
        }
        catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new MalformedEvidence(file, where, "not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isArray()) {
            throw new MalformedEvidence(file, "$", "not JMH JSON results: the top level is not an array");
        }
        List<Score> scores = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode b = root.get(i);
            JsonNode metric = b.path("primaryMetric");
            if (!b.path("benchmark").isString() || !metric.has("score")) {
                throw new MalformedEvidence(file, "$[" + i + "]", "a JMH result needs 'benchmark' and 'primaryMetric.score'");
            }
            scores.add(new Score(b.get("benchmark").asString(), b.path("mode").asString(null), number(metric.get("score")),
                    number(metric.path("scoreError")), metric.path("scoreUnit").asString("")));
        }
        return new BenchmarkResults(file, scores);
    }

    private static double number(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return Double.NaN;
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        try {
            return Double.parseDouble(node.asString());
        }
        catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
