package dev.rollout.starter.test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The requests sent to one operation: a well-formed one, then every kind of broken and hostile one. */
final class Corpus {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Path variables a client must never get a 500 for. */
    static final List<String[]> PATH_VALUES = List.of(
            new String[] { "traversal", "..%2F..%2Fetc%2Fpasswd" },
            new String[] { "dot-dot", ".." },
            new String[] { "long", "a".repeat(4000) },
            new String[] { "nul", "a%00b" },
            new String[] { "non-utf8", "%FF%FE" },
            new String[] { "overflow", "99999999999999999999999" },
            new String[] { "sql", "%27%20OR%201%3D1--" });

    static final List<String[]> QUERY_VALUES = List.of(
            new String[] { "negative", "-1" },
            new String[] { "max-int", "2147483647" },
            new String[] { "overflow", "9223372036854775808" },
            new String[] { "nan", "NaN" },
            new String[] { "infinity", "-Infinity" },
            new String[] { "long", "x".repeat(5000) },
            new String[] { "non-utf8", "%FF%FE%00" },
            new String[] { "empty", "" });

    /** The probes also sent as a role that the well-formed request showed refused. */
    static final Predicate<String> ALSO_WHEN_REFUSED = name -> name.equals("declared over the limit")
            || name.equals("chunked, 2 MiB") || name.equals("broken JSON") || name.equals("binary garbage")
            || name.equals("declared gzip, plain") || name.endsWith(" traversal") || name.endsWith(" non-utf8");

    /** One request and how it is sent. */
    record Probe(String name, Sender sender) {
        HostileInput.Answer send(HostileInput target, Operation operation, String token) {
            return sender.send(target, operation, token);
        }
    }

    interface Sender {
        HostileInput.Answer send(HostileInput target, Operation operation, String token);
    }

    private Corpus() {
    }

    static List<Probe> of(Operation operation) {
        List<Probe> probes = new ArrayList<>();
        probes.add(body("well-formed", operation.firstContentType(), operation.hasBody() ? valid(operation) : null));
        for (Operation.Parameter p : operation.parameters()) {
            if (p.in().equals("path")) {
                for (String[] value : PATH_VALUES) {
                    probes.add(new Probe("path " + p.name() + " " + value[0], (target, op, token) -> target.send(
                            request(target, op.url(Map.of(p.name(), value[1]), Map.of()), token, op.method(),
                                    op.firstContentType(), op.hasBody() ? valid(op) : null))));
                }
            }
            if (p.in().equals("query")) {
                for (String[] value : QUERY_VALUES) {
                    probes.add(new Probe("query " + p.name() + " " + value[0], (target, op, token) -> target.send(
                            request(target, op.url(Map.of(), Map.of(p.name(), value[1])), token, op.method(),
                                    op.firstContentType(), op.hasBody() ? valid(op) : null))));
                }
            }
        }
        if (!operation.hasBody()) {
            if (!operation.method().equals("GET")) {
                probes.add(body("unexpected body", "application/json", "{\"unexpected\":true}".getBytes(StandardCharsets.UTF_8)));
            }
            return probes;
        }
        String type = operation.firstContentType();
        probes.add(body("no body", type, new byte[0]));
        probes.add(body("wrong content type", "text/plain", valid(operation)));
        probes.add(body("xml instead", "application/xml", ("<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM "
                + "\"file:///etc/passwd\">]><a>&x;</a>").getBytes(StandardCharsets.UTF_8)));
        probes.add(body("binary garbage", type, new byte[] { (byte) 0xFF, (byte) 0xFE, 0, 1, 2, (byte) 0x80, (byte) 0xC3 }));
        probes.add(new Probe("declared gzip, plain", (target, op, token) -> target.send(builder(target, op.url(Map.of(),
                Map.of()), token).header("Content-Type", type).header("Content-Encoding", "gzip")
                .method(op.method(), HttpRequest.BodyPublishers.ofByteArray(valid(op))).build())));
        probes.add(new Probe("declared over the limit", (target, op, token) -> target.sendRaw(op.method(),
                op.url(Map.of(), Map.of()), token, type, 17_179_869_185L, "{\"a\":".getBytes(StandardCharsets.UTF_8))));
        probes.add(new Probe("chunked, 2 MiB", (target, op, token) -> target.send(builder(target, op.url(Map.of(),
                Map.of()), token).header("Content-Type", type).method(op.method(), HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(filler(2 * 1024 * 1024 + 7)))).build())));
        if (operation.jsonBody()) {
            json(operation, probes);
        }
        else if (type.startsWith("multipart/")) {
            probes.add(body("multipart without boundary", "multipart/form-data", valid(operation)));
            probes.add(body("multipart, broken", "multipart/form-data; boundary=zz",
                    "--zz\r\nContent-Disposition: form-data; name=\"junit\"; filename=\"../../x.xml\"\r\n\r\n<testsuite>"
                            .getBytes(StandardCharsets.UTF_8)));
        }
        else {
            probes.add(body("text, hostile lines", type, ("agent_id,cluster,region,time_zone,labels\n\u0000,,,,\n"
                    + "a".repeat(20_000) + ",c,r,UTC+99,\n\"unclosed,quote\n{\"agentId\":1e309}\n"
                    + "'; DROP TABLE agent; --,c,r,UTC,\n").getBytes(StandardCharsets.UTF_8)));
        }
        return probes;
    }

    private static void json(Operation operation, List<Probe> probes) {
        String type = "application/json";
        probes.add(text("empty object", "{}"));
        probes.add(text("array root", "[]"));
        probes.add(text("null root", "null"));
        probes.add(text("number root", "42"));
        probes.add(text("broken JSON", "{\"name\": "));
        probes.add(text("NaN literal", "{\"value\": NaN, \"x\": Infinity}"));
        probes.add(text("duplicate keys", "{\"a\":1,\"a\":2}"));
        probes.add(text("deep nesting", "[".repeat(5000) + "]".repeat(5000)));
        probes.add(body("non-UTF-8 inside a string", type, concat("{\"name\":\"".getBytes(StandardCharsets.UTF_8),
                new byte[] { (byte) 0xC3, (byte) 0x28, (byte) 0xFF }, "\"}".getBytes(StandardCharsets.UTF_8))));
        probes.add(new Probe("extra fields", (target, op, token) -> {
            JsonNode body = Operation.JSON.readTree(new String(valid(op), StandardCharsets.UTF_8));
            if (body instanceof ObjectNode object) {
                object.put("unexpected", "x").put("__proto__", "y");
            }
            return target.send(request(target, op.url(Map.of(), Map.of()), token, op.method(), type,
                    body.toString().getBytes(StandardCharsets.UTF_8)));
        }));
        int count = 0;
        for (Map.Entry<String, JsonNode> property : operation.properties().entrySet()) {
            if (count++ == 12) {
                break;
            }
            String name = property.getKey();
            String kind = operation.typeOf(property.getValue());
            for (Map.Entry<String, JsonNode> mutation : mutations(kind).entrySet()) {
                probes.add(new Probe(name + " " + mutation.getKey(), (target, op, token) -> {
                    JsonNode body = Operation.JSON.readTree(new String(valid(op), StandardCharsets.UTF_8));
                    if (body instanceof ObjectNode object) {
                        if (mutation.getValue() == null) {
                            object.remove(name);
                        }
                        else {
                            object.set(name, mutation.getValue());
                        }
                    }
                    String text = body.toString().replace("\"__NAN__\"", "NaN").replace("\"__HUGE__\"", "1e309")
                            .replace("\"__LONG_OVERFLOW__\"", "9223372036854775808");
                    return target.send(request(target, op.url(Map.of(), Map.of()), token, op.method(), type,
                            text.getBytes(StandardCharsets.UTF_8)));
                }));
            }
        }
    }

    private static Map<String, JsonNode> mutations(String kind) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        m.put("missing", null);
        m.put("null", NODES.nullNode());
        switch (kind) {
            case "integer", "number" -> {
                m.put("as text", NODES.stringNode("abc"));
                m.put("negative", NODES.numberNode(-1));
                m.put("huge", NODES.stringNode("__HUGE__"));
                m.put("long overflow", NODES.stringNode("__LONG_OVERFLOW__"));
                m.put("NaN", NODES.stringNode("__NAN__"));
                m.put("fraction", NODES.numberNode(0.5));
            }
            case "boolean" -> m.put("as text", NODES.stringNode("yes"));
            case "array" -> {
                m.put("as object", NODES.objectNode());
                m.put("of nulls", NODES.arrayNode().add(NODES.nullNode()).add(NODES.nullNode()));
                m.put("huge", hugeArray());
            }
            case "object" -> {
                m.put("as text", NODES.stringNode("x"));
                m.put("as array", NODES.arrayNode());
            }
            default -> {
                m.put("as number", NODES.numberNode(12345));
                m.put("as object", NODES.objectNode().put("a", 1));
                m.put("empty", NODES.stringNode(""));
                m.put("over-long with NUL", NODES.stringNode("\u0000" + "x".repeat(70_000)));
                m.put("control and bidi characters", NODES.stringNode("a\u0007\u202Eb\r\n<script>"));
            }
        }
        return m;
    }

    private static JsonNode hugeArray() {
        var array = NODES.arrayNode();
        for (int i = 0; i < 100_000; i++) {
            array.add(1);
        }
        return array;
    }

    private static byte[] valid(Operation operation) {
        return operation.jsonBody() || !operation.hasBody() ? operation.validBody().getBytes(StandardCharsets.UTF_8)
                : "agent_id,cluster,region,time_zone\nh-1,eu-1,eu,UTC\n".getBytes(StandardCharsets.UTF_8);
    }

    private static Probe text(String name, String json) {
        return body(name, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private static Probe body(String name, String contentType, byte[] body) {
        return new Probe(name, (target, op, token) -> target.send(request(target, op.url(Map.of(), Map.of()), token,
                op.method(), contentType, body)));
    }

    static HttpRequest.Builder builder(HostileInput target, String url, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(target.baseUrl() + url)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    static HttpRequest request(HostileInput target, String url, String token, String method, String contentType, byte[] body) {
        HttpRequest.Builder builder = builder(target, url, token);
        if (body == null) {
            return builder.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        return builder.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static byte[] filler(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 'a');
        bytes[0] = '[';
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
