package dev.rollout.clusterbatcher.fleet;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the lines of a fleet upload: CSV with a header ({@code agent_id,cluster,region,time_zone,labels},
 * labels as {@code key=value;key=value}) or NDJSON ({@code {"agentId", "cluster", "region", "timeZone",
 * "labels": {...}}}). One line at a time, so memory stays bounded whatever the upload's size.
 */
final class FleetLineParser {

    enum Format {
        CSV, NDJSON
    }

    private static final List<String> COLUMNS = List.of("agent_id", "cluster", "region", "time_zone", "labels");

    private final Format format;
    private final JsonMapper json;
    private int[] columns;

    FleetLineParser(Format format, JsonMapper json) {
        this.format = format;
        this.json = json;
    }

    /** True when the first line is a header to read rather than an agent. */
    boolean expectsHeader() {
        return format == Format.CSV;
    }

    /** Reads the CSV header; throws naming the missing column. */
    void header(String line) {
        List<String> names = splitCsv(line).stream().map(s -> s.strip().toLowerCase(Locale.ROOT)).toList();
        columns = new int[COLUMNS.size()];
        for (int i = 0; i < COLUMNS.size(); i++) {
            columns[i] = names.indexOf(COLUMNS.get(i));
            if (columns[i] < 0 && i < 4) {
                throw new IllegalArgumentException("the CSV header has no '" + COLUMNS.get(i) + "' column (expected "
                        + String.join(",", COLUMNS) + ")");
            }
        }
    }

    AgentLine parse(String line) {
        return format == Format.CSV ? parseCsv(line) : parseJson(line);
    }

    private AgentLine parseCsv(String line) {
        List<String> fields = splitCsv(line);
        return AgentLine.of(field(fields, 0), field(fields, 1), field(fields, 2), field(fields, 3), field(fields, 4));
    }

    private String field(List<String> fields, int column) {
        int index = columns[column];
        return index >= 0 && index < fields.size() ? fields.get(index).strip() : null;
    }

    private AgentLine parseJson(String line) {
        JsonNode node;
        try {
            node = json.readTree(line);
        }
        catch (JacksonException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        for (Iterator<String> names = node.propertyNames().iterator(); names.hasNext();) {
            String name = names.next();
            if (!List.of("agentId", "cluster", "region", "timeZone", "labels").contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "'");
            }
        }
        String labels = null;
        JsonNode labelNode = node.get("labels");
        if (labelNode != null && !labelNode.isNull()) {
            if (!labelNode.isObject()) {
                throw new IllegalArgumentException("labels must be an object of strings");
            }
            Map<String, String> sorted = new TreeMap<>();
            labelNode.properties().forEach(e -> sorted.put(e.getKey(), e.getValue().asString()));
            labels = String.join(";", sorted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        }
        return AgentLine.of(text(node, "agentId"), text(node, "cluster"), text(node, "region"), text(node, "timeZone"),
                labels);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return value.asString();
    }

    /** Splits one CSV line (RFC 4180 quoting, no line breaks inside a field). */
    static List<String> splitCsv(String line) {
        if (line.indexOf('"') < 0) {
            // no quoting (nearly every line of a fleet file): the fields lie between the commas as they are
            List<String> fields = new ArrayList<>(COLUMNS.size() + 1);
            int from = 0;
            for (int comma = line.indexOf(','); comma >= 0; comma = line.indexOf(',', from)) {
                fields.add(line.substring(from, comma));
                from = comma + 1;
            }
            fields.add(line.substring(from));
            return fields;
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    }
                    else {
                        quoted = false;
                    }
                }
                else {
                    field.append(c);
                }
            }
            else if (c == '"') {
                quoted = true;
            }
            else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            }
            else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("a quoted field is not closed");
        }
        fields.add(field.toString());
        return fields;
    }
}
