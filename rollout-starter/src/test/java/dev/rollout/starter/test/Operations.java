package dev.rollout.starter.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/** The operations of an OpenAPI 3 document, with their parameters and the schema of their body. */
final class Operations {

    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    private Operations() {
    }

    static List<Operation> of(JsonNode document) {
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                if (!METHODS.contains(method.getKey())) {
                    continue;
                }
                JsonNode op = method.getValue();
                List<Operation.Parameter> parameters = new ArrayList<>();
                for (JsonNode p : op.path("parameters")) {
                    JsonNode schema = resolve(document, p.path("schema"));
                    parameters.add(new Operation.Parameter(p.path("name").asString(), p.path("in").asString(),
                            p.path("required").asBoolean(false), schema));
                }
                List<String> contentTypes = new ArrayList<>();
                JsonNode bodySchema = null;
                for (Map.Entry<String, JsonNode> content : op.path("requestBody").path("content").properties()) {
                    contentTypes.add(content.getKey());
                    if (bodySchema == null) {
                        bodySchema = resolve(document, content.getValue().path("schema"));
                    }
                }
                operations.add(new Operation(method.getKey().toUpperCase(), path.getKey(), parameters, contentTypes,
                        bodySchema, document));
            }
        }
        return operations;
    }

    static JsonNode resolve(JsonNode document, JsonNode schema) {
        JsonNode current = schema;
        for (int i = 0; i < 10 && current != null && current.has("$ref"); i++) {
            String ref = current.path("$ref").asString();
            current = document.path("components").path("schemas").path(ref.substring(ref.lastIndexOf('/') + 1));
        }
        return current;
    }
}
