package dev.rollout.starter.test;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.HttpExchange;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A consumer's contract with a provider ({@code @HttpExchange} interface and the records it sends and reads), checked
 * against the provider's OpenAPI document: every operation exists; every query parameter is one the provider takes;
 * every field the consumer sends is one the provider accepts (it refuses unknown fields) and every field it requires
 * is sent; every field the consumer reads is one the provider answers with, of a compatible type; an enum the
 * consumer reads knows every value the provider may send, and one it sends holds only values the provider takes.
 * Each side keeps its own types: this is what keeps them in step.
 */
public final class OpenApiContract {

    private final JsonNode document;
    private final String provider;
    private final List<String> mismatches = new ArrayList<>();

    private OpenApiContract(String provider, JsonNode document) {
        this.provider = provider;
        this.document = document;
    }

    /** What does not hold of {@code contract} against the kept document of the service its {@code SERVICE} names. */
    public static List<String> mismatches(Class<?> contract) {
        try {
            Field service = contract.getField("SERVICE");
            service.trySetAccessible(); // a contract may be package-private to its consumer
            return mismatches(contract, (String) service.get(null));
        }
        catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(contract + " names no SERVICE it is the contract with", e);
        }
    }

    /** What does not hold of {@code contract} against the kept document of {@code provider}; empty when it all does. */
    public static List<String> mismatches(Class<?> contract, String provider) {
        return mismatches(contract, provider, PublishedApi.read(provider));
    }

    public static List<String> mismatches(Class<?> contract, String provider, JsonNode document) {
        OpenApiContract check = new OpenApiContract(provider, document);
        Method[] methods = contract.getMethods();
        Arrays.sort(methods, (a, b) -> a.getName().compareTo(b.getName()));
        for (Method method : methods) {
            if (!method.isDefault() && !Modifier.isStatic(method.getModifiers())) {
                check.operation(contract, method);
            }
        }
        return check.mismatches;
    }

    private void operation(Class<?> contract, Method method) {
        HttpExchange exchange = AnnotatedElementUtils.findMergedAnnotation(method, HttpExchange.class);
        HttpExchange type = AnnotatedElementUtils.findMergedAnnotation(contract, HttpExchange.class);
        String path = (type == null ? "" : type.url()) + exchange.url();
        String name = contract.getSimpleName() + "." + method.getName() + " (" + exchange.method() + " " + path + ")";
        JsonNode operation = null;
        String template = path.replaceAll("\\{[^}]*}", "{}");
        for (Map.Entry<String, JsonNode> entry : document.path("paths").properties()) {
            if (entry.getKey().replaceAll("\\{[^}]*}", "{}").equals(template)) {
                operation = entry.getValue().get(exchange.method().toLowerCase());
            }
        }
        if (operation == null) {
            mismatches.add(name + ": " + provider + " has no such operation");
            return;
        }
        Set<String> queries = new TreeSet<>();
        operation.path("parameters").forEach(p -> {
            if ("query".equals(p.path("in").asString())) {
                queries.add(p.path("name").asString());
            }
        });
        for (Parameter parameter : method.getParameters()) {
            RequestParam query = parameter.getAnnotation(RequestParam.class);
            if (query != null) {
                String queryName = query.value().isEmpty() ? query.name() : query.value();
                if (!queries.contains(queryName)) {
                    mismatches.add(name + ": " + provider + " takes no query parameter '" + queryName + "' (it takes "
                            + queries + ")");
                }
            }
            if (parameter.getAnnotation(RequestBody.class) != null) {
                JsonNode schema = operation.path("requestBody").path("content").path("application/json").path("schema");
                if (schema.isMissingNode()) {
                    mismatches.add(name + ": " + provider + " takes no JSON body");
                }
                else {
                    write(parameter.getParameterizedType(), schema, name + " sends", new HashSet<>());
                }
            }
        }
        Type answer = unwrap(method.getGenericReturnType());
        if (answer != void.class && answer != Void.class) {
            JsonNode schema = answerSchema(operation);
            if (schema == null) {
                mismatches.add(name + ": " + provider + " documents no JSON answer to read");
            }
            else {
                read(answer, schema, name + " reads", new HashSet<>());
            }
        }
    }

    private static JsonNode answerSchema(JsonNode operation) {
        for (Map.Entry<String, JsonNode> response : operation.path("responses").properties()) {
            if (response.getKey().startsWith("2")) {
                for (Map.Entry<String, JsonNode> content : response.getValue().path("content").properties()) {
                    if (content.getKey().contains("json") || content.getKey().equals("*/*")) {
                        return content.getValue().path("schema");
                    }
                }
            }
        }
        return null;
    }

    /** What the consumer reads must be in what the provider answers. */
    private void read(Type type, JsonNode schema, String at, Set<String> seen) {
        JsonNode s = resolve(schema);
        Class<?> raw = raw(type);
        if (!compatible(raw, s, at)) {
            return;
        }
        if (raw.isEnum()) {
            Set<String> known = names(raw);
            for (JsonNode value : s.path("enum")) {
                if (!value.isNull() && !known.contains(value.asString())) {
                    mismatches.add(at + ": " + provider + " may answer " + value.asString() + ", which "
                            + raw.getSimpleName() + " does not know (it knows " + known + ")");
                }
            }
        }
        else if (raw.isRecord()) {
            if (!seen.add(raw.getName() + at)) {
                return;
            }
            Map<String, JsonNode> properties = properties(s);
            for (RecordComponent component : raw.getRecordComponents()) {
                String field = jsonName(component);
                JsonNode property = properties.get(field);
                if (property == null) {
                    mismatches.add(at + " ." + field + " (" + raw.getSimpleName() + "): " + provider
                            + " answers with no such field (it answers with " + new TreeSet<>(properties.keySet()) + ")");
                }
                else {
                    read(component.getGenericType(), property, at + " ." + field, seen);
                }
            }
        }
        else {
            element(type, s, at, seen, true);
        }
    }

    /** What the consumer sends must be taken by the provider, and hold whatever it requires. */
    private void write(Type type, JsonNode schema, String at, Set<String> seen) {
        JsonNode s = resolve(schema);
        Class<?> raw = raw(type);
        if (!compatible(raw, s, at)) {
            return;
        }
        if (raw.isEnum()) {
            Set<String> taken = new TreeSet<>();
            s.path("enum").forEach(v -> taken.add(v.asString()));
            if (!taken.isEmpty()) {
                for (String constant : names(raw)) {
                    if (!taken.contains(constant)) {
                        mismatches.add(at + ": " + raw.getSimpleName() + "." + constant + " is not a value " + provider
                                + " takes (it takes " + taken + ")");
                    }
                }
            }
        }
        else if (raw.isRecord()) {
            if (!seen.add(raw.getName() + at)) {
                return;
            }
            Map<String, JsonNode> properties = properties(s);
            Set<String> sent = new TreeSet<>();
            for (RecordComponent component : raw.getRecordComponents()) {
                String field = jsonName(component);
                sent.add(field);
                JsonNode property = properties.get(field);
                if (property == null) {
                    mismatches.add(at + " ." + field + " (" + raw.getSimpleName() + "): " + provider
                            + " takes no such field and refuses unknown ones (it takes "
                            + new TreeSet<>(properties.keySet()) + ")");
                }
                else {
                    write(component.getGenericType(), property, at + " ." + field, seen);
                }
            }
            for (JsonNode required : s.path("required")) {
                if (!sent.contains(required.asString())) {
                    mismatches.add(at + " (" + raw.getSimpleName() + "): " + provider + " requires ."
                            + required.asString() + ", which is not sent");
                }
            }
        }
        else {
            element(type, s, at, seen, false);
        }
    }

    /** The elements of a list or the values of a map. */
    private void element(Type type, JsonNode s, String at, Set<String> seen, boolean reading) {
        Class<?> raw = raw(type);
        Type inner = null;
        JsonNode innerSchema = null;
        if (Collection.class.isAssignableFrom(raw) && type instanceof ParameterizedType p) {
            inner = p.getActualTypeArguments()[0];
            innerSchema = s.path("items");
        }
        else if (Map.class.isAssignableFrom(raw) && type instanceof ParameterizedType p) {
            inner = p.getActualTypeArguments()[1];
            innerSchema = s.path("additionalProperties");
        }
        if (inner == null || !innerSchema.isObject()) {
            return;
        }
        if (reading) {
            read(inner, innerSchema, at + "[]", seen);
        }
        else {
            write(inner, innerSchema, at + "[]", seen);
        }
    }

    /** Whether JSON of the schema's type binds to the Java type (and says why not). */
    private boolean compatible(Class<?> raw, JsonNode s, String at) {
        Set<String> types = types(s);
        if (types.isEmpty() || raw == Object.class || JsonNode.class.isAssignableFrom(raw)) {
            return true; // any JSON
        }
        String expected;
        if (raw == String.class || raw == UUID.class || raw == Instant.class || raw == Duration.class || raw == URI.class
                || raw == LocalDate.class || raw == OffsetDateTime.class || raw.isEnum()) {
            expected = "string";
        }
        else if (raw == int.class || raw == long.class || raw == Integer.class || raw == Long.class
                || raw == BigInteger.class) {
            expected = "integer";
        }
        else if (raw == double.class || raw == float.class || raw == Double.class || raw == Float.class
                || raw == BigDecimal.class) {
            expected = types.contains("integer") ? "integer" : "number";
        }
        else if (raw == boolean.class || raw == Boolean.class) {
            expected = "boolean";
        }
        else if (Collection.class.isAssignableFrom(raw) || raw.isArray()) {
            expected = "array";
        }
        else {
            expected = "object"; // records and maps
        }
        if (!types.contains(expected)) {
            mismatches.add(at + ": " + provider + " has " + types + " where " + raw.getSimpleName() + " needs "
                    + expected);
            return false;
        }
        return true;
    }

    private JsonNode resolve(JsonNode schema) {
        JsonNode current = Operations.resolve(document, schema);
        if (current.has("allOf")) { // springdoc's way of saying "this schema, described here"
            Map<String, JsonNode> merged = new LinkedHashMap<>();
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (JsonNode part : current.path("allOf")) {
                resolve(part).properties().forEach(e -> merged.putIfAbsent(e.getKey(), e.getValue()));
            }
            merged.forEach(out::set);
            return out;
        }
        return current;
    }

    private Map<String, JsonNode> properties(JsonNode s) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        s.path("properties").properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static Set<String> types(JsonNode s) {
        Set<String> out = new TreeSet<>();
        JsonNode type = s.has("type") ? s.path("type") : s.path("types");
        if (type.isString()) {
            out.add(type.asString());
        }
        type.forEach(t -> out.add(t.asString()));
        if (out.isEmpty() && s.has("properties")) {
            out.add("object");
        }
        if (out.isEmpty() && s.has("enum")) {
            out.add("string");
        }
        out.remove("null");
        return out;
    }

    private static Set<String> names(Class<?> enumType) {
        Set<String> out = new TreeSet<>();
        for (Object constant : enumType.getEnumConstants()) {
            out.add(((Enum<?>) constant).name());
        }
        return out;
    }

    private static String jsonName(RecordComponent component) {
        JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
        if (property == null) {
            property = component.getAnnotation(JsonProperty.class);
        }
        return property != null && !property.value().isEmpty() ? property.value() : component.getName();
    }

    private static Type unwrap(Type type) {
        if (type instanceof ParameterizedType p && (p.getRawType() == ResponseEntity.class
                || p.getRawType() == Optional.class)) {
            return unwrap(p.getActualTypeArguments()[0]);
        }
        return type;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        if (type instanceof WildcardType w) {
            return raw(w.getUpperBounds()[0]);
        }
        return Object.class;
    }
}
