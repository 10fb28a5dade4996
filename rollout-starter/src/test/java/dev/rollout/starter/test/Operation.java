package dev.rollout.starter.test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** One operation of an OpenAPI document, and requests to it that a well-behaved client would send. */
record Operation(String method, String path, List<Parameter> parameters, List<String> contentTypes, JsonNode bodySchema,
        JsonNode document) {

    record Parameter(String name, String in, boolean required, JsonNode schema) {
    }

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    boolean hasBody() {
        return !contentTypes.isEmpty();
    }

    boolean jsonBody() {
        return contentTypes.stream().anyMatch(t -> t.contains("json") && !t.contains("ndjson"));
    }

    String firstContentType() {
        return contentTypes.isEmpty() ? "application/json" : contentTypes.get(0);
    }

    /** The path with plausible values, except those given (already URL-encoded). */
    String url(Map<String, String> pathValues, Map<String, String> queryValues) {
        String url = path;
        for (Parameter p : parameters) {
            if (p.in().equals("path")) {
                String value = pathValues.containsKey(p.name()) ? pathValues.get(p.name()) : encode(plain(p.schema()));
                url = url.replace("{" + p.name() + "}", value);
            }
        }
        StringBuilder query = new StringBuilder();
        for (Parameter p : parameters) {
            if (p.in().equals("query") && (p.required() || queryValues.containsKey(p.name()))) {
                String value = queryValues.containsKey(p.name()) ? queryValues.get(p.name()) : encode(plain(p.schema()));
                query.append(query.length() == 0 ? "?" : "&").append(encode(p.name())).append('=').append(value);
            }
        }
        return url + query;
    }

    /** A plausible value of a parameter, as text. */
    String plain(JsonNode schema) {
        JsonNode value = sample(schema, 0);
        return value.isString() ? value.asString() : value.toString();
    }

    String validBody() {
        return bodySchema == null ? "{}" : sample(bodySchema, 0).toString();
    }

    /** A value of the schema a well-behaved client would send: every required property, plausible values. */
    JsonNode sample(JsonNode schema, int depth) {
        JsonNode s = Operations.resolve(document, schema);
        if (s == null || s.isMissingNode() || depth > 6) {
            return NODES.stringNode("x");
        }
        if (s.has("enum") && !s.path("enum").isEmpty()) {
            return s.path("enum").get(0);
        }
        if (s.has("oneOf") || s.has("anyOf")) {
            return sample((s.has("oneOf") ? s.path("oneOf") : s.path("anyOf")).get(0), depth + 1);
        }
        if (s.has("allOf")) {
            return sample(s.path("allOf").get(0), depth + 1);
        }
        String type = s.path("type").asString(s.has("properties") ? "object" : "string");
        String format = s.path("format").asString("");
        return switch (type) {
            case "integer" -> NODES.numberNode(Math.max(1, s.path("minimum").asLong(1)));
            case "number" -> NODES.numberNode(Math.max(0.5, s.path("minimum").asDouble(0.5)));
            case "boolean" -> NODES.booleanNode(true);
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                int items = Math.max(1, s.path("minItems").asInt(1));
                for (int i = 0; i < items && i < 3; i++) {
                    array.add(sample(s.path("items"), depth + 1));
                }
                yield array;
            }
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                for (Map.Entry<String, JsonNode> property : s.path("properties").properties()) {
                    object.set(property.getKey(), sample(property.getValue(), depth + 1));
                }
                yield object;
            }
            default -> NODES.stringNode(switch (format) {
                case "uuid" -> UUID.randomUUID().toString();
                case "date-time" -> "2026-12-01T10:00:00Z";
                case "date" -> "2026-12-01";
                case "uri", "url" -> "https://example.org/x";
                case "email" -> "a@example.org";
                default -> s.has("pattern") || s.has("minLength") ? "x".repeat(Math.max(1, s.path("minLength").asInt(1)))
                        : "x1";
            });
        };
    }

    /** The body's properties with their schemas (an object body), for mutations one property at a time. */
    Map<String, JsonNode> properties() {
        JsonNode s = Operations.resolve(document, bodySchema);
        return s == null ? Map.of() : s.path("properties").properties().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a,
                        LinkedHashMap::new));
    }

    String typeOf(JsonNode schema) {
        JsonNode s = Operations.resolve(document, schema);
        return s == null ? "string" : s.path("type").asString(s.has("properties") ? "object" : "string");
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
