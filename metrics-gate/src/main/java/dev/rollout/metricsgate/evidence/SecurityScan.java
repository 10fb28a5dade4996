package dev.rollout.metricsgate.evidence;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A SARIF 2.1.0 security scan: every result with its rule, effective level and security-severity. The
 * rule is found through {@code ruleIndex}/{@code ruleId} on the driver, or through
 * {@code rule.toolComponent.index} on an extension; a result without {@code level} takes its rule's
 * default level (and {@code warning} without one).
 */
public record SecurityScan(String file, String tool, List<Finding> findings) {

    /** One result: severity is null when the rule gives no security-severity. */
    public record Finding(String ruleId, String level, Double severity, List<String> tags, String message,
            String location) {

        public boolean securityTagged() {
            return tags.stream().anyMatch(t -> t.equalsIgnoreCase("security"));
        }
    }

    /** Critical: security-severity at or above the threshold, or, unscored, a security error. */
    public List<Finding> critical(double threshold) {
        return findings.stream().filter(f -> f.severity() != null ? f.severity() >= threshold
                : "error".equals(f.level()) && f.securityTagged()).toList();
    }

    static SecurityScan parse(String file, byte[] content, JsonMapper json) {
        JsonNode root;
        try {
            root = json.readTree(content);
        }
        catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new MalformedEvidence(file, where, "not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !root.path("runs").isArray()) {
            throw new MalformedEvidence(file, "$", "not a SARIF log: no 'runs' array");
        }
        String version = root.path("version").asString("");
        if (!version.isEmpty() && !version.startsWith("2.1")) {
            throw new MalformedEvidence(file, "$.version", "SARIF version " + version + " is not supported (2.1.0 is)");
        }
        List<Finding> findings = new ArrayList<>();
        String tool = null;
        JsonNode runs = root.get("runs");
        for (int r = 0; r < runs.size(); r++) {
            JsonNode run = runs.get(r);
            JsonNode driver = run.path("tool").path("driver");
            tool = tool == null ? driver.path("name").asString(null) : tool;
            JsonNode results = run.path("results");
            if (!results.isMissingNode() && !results.isNull() && !results.isArray()) {
                throw new MalformedEvidence(file, "$.runs[" + r + "].results", "must be an array of results");
            }
            for (int i = 0; i < results.size(); i++) {
                JsonNode result = results.get(i);
                JsonNode rule = rule(run, result);
                String ruleId = result.path("ruleId").asString(rule == null ? null : rule.path("id").asString(null));
                if (ruleId == null) {
                    ruleId = result.path("rule").path("id").asString("unknown");
                }
                String level = result.path("level").asString(null);
                if (level == null) {
                    level = rule == null ? "warning" : rule.path("defaultConfiguration").path("level").asString("warning");
                }
                Double severity = null;
                List<String> tags = new ArrayList<>();
                if (rule != null) {
                    JsonNode properties = rule.path("properties");
                    JsonNode score = properties.path("security-severity");
                    if (!score.isMissingNode() && !score.isNull()) {
                        try {
                            severity = Double.parseDouble(score.asString().strip());
                        }
                        catch (NumberFormatException e) {
                            throw new MalformedEvidence(file, "$.runs[" + r + "] rule " + ruleId,
                                    "security-severity '" + score.asString() + "' is not a number");
                        }
                    }
                    properties.path("tags").forEach(t -> tags.add(t.asString()));
                }
                JsonNode location = result.path("locations").path(0).path("physicalLocation");
                String where = location.isMissingNode() ? null : location.path("artifactLocation").path("uri").asString("")
                        + (location.path("region").has("startLine") ? ":" + location.path("region").path("startLine").asInt() : "");
                findings.add(new Finding(ruleId, level.toLowerCase(Locale.ROOT), severity, List.copyOf(tags),
                        result.path("message").path("text").asString(""), where));
            }
        }
        return new SecurityScan(file, tool, findings);
    }

    private static JsonNode rule(JsonNode run, JsonNode result) {
        JsonNode reference = result.path("rule");
        JsonNode component = run.path("tool").path("driver");
        if (reference.path("toolComponent").has("index")) {
            component = run.path("tool").path("extensions").path(reference.path("toolComponent").path("index").asInt());
        }
        JsonNode rules = component.path("rules");
        int index = result.has("ruleIndex") ? result.path("ruleIndex").asInt() : reference.path("index").asInt(-1);
        if (index >= 0 && index < rules.size()) {
            return rules.get(index);
        }
        String id = result.path("ruleId").asString(reference.path("id").asString(null));
        if (id != null) {
            for (JsonNode candidate : rules) {
                if (id.equals(candidate.path("id").asString(null))) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
