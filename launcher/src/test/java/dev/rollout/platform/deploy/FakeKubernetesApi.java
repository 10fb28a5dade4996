package dev.rollout.platform.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * The part of a Kubernetes API server that a service reads: the namespace's ConfigMaps and Secrets (one by name,
 * or listed), as a rendered overlay holds them; every other read is answered with an empty list. Each request is
 * first authorised as the API server would authorise the service's account (a 403 otherwise), and recorded, so
 * that a test can tell what a service really read and whether its Role allows it.
 */
final class FakeKubernetesApi implements AutoCloseable {

    private static final Pattern RESOURCE = Pattern.compile("/api/v1/namespaces/([^/]+)/([a-z]+)(?:/([^/?]+))?");
    private static final Pattern ANY = Pattern.compile("/apis?(?:/([a-z0-9.-]+))?/v[0-9a-z]+(?:/namespaces/[^/]+)?/([a-z]+)(?:/([^/]+))?");

    /** A request as RBAC sees it: API group ("" for the core group), resource, verb, and name where one is asked. */
    record Access(String group, String resource, String verb, String name) {
    }

    private final String namespace;
    private final List<Map<String, Object>> objects;
    private final Predicate<Access> allowed;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> forbidden = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final JsonMapper json = JsonMapper.builder().build();

    FakeKubernetesApi(String namespace, List<Map<String, Object>> objects, Predicate<Access> allowed)
            throws IOException {
        this.namespace = namespace;
        this.objects = objects;
        this.allowed = allowed;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", this::answer);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Every request's method and path with its query, in order. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    /** The requests that the account's Role does not allow, answered 403. */
    List<String> forbidden() {
        return List.copyOf(forbidden);
    }

    static Access access(String method, String path, String query) {
        Matcher m = ANY.matcher(path);
        if (!m.matches()) {
            return new Access("", path, method.toLowerCase(), null);
        }
        String group = path.startsWith("/api/") ? "" : m.group(1);
        String name = m.group(3);
        String verb = switch (method) {
            case "GET" -> name != null ? "get" : query != null && query.contains("watch=true") ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> method.toLowerCase();
        };
        return new Access(group, m.group(2), verb, name);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String request = exchange.getRequestMethod() + " " + exchange.getRequestURI();
        requests.add(request);
        Matcher m = RESOURCE.matcher(path);
        Object body;
        int status = 200;
        if (!allowed.test(access(exchange.getRequestMethod(), path, exchange.getRequestURI().getQuery()))) {
            forbidden.add(request);
            status = 403;
            body = status("Forbidden", "the service account may not " + request);
        }
        else if (!exchange.getRequestMethod().equals("GET")) {
            status = 405;
            body = status("MethodNotAllowed", "this API double only reads");
        }
        else if (m.matches() && m.group(3) != null) {
            Optional<Map<String, Object>> found = m.group(1).equals(namespace) ? find(kindOf(m.group(2)), m.group(3))
                    : Optional.empty();
            if (found.isPresent()) {
                body = found.get();
            }
            else {
                status = 404;
                body = status("NotFound", m.group(2) + " \"" + m.group(3) + "\" not found");
            }
        }
        else if (m.matches()) {
            List<Map<String, Object>> items = new ArrayList<>();
            if (m.group(1).equals(namespace)) {
                objects.stream().filter(o -> kindOf(m.group(2)).equals(o.get("kind"))).forEach(items::add);
            }
            body = Map.of("apiVersion", "v1", "kind", kindOf(m.group(2)) + "List",
                    "metadata", Map.of("resourceVersion", "1"), "items", items);
        }
        else {
            body = Map.of("apiVersion", "v1", "kind", "List", "metadata", Map.of("resourceVersion", "1"),
                    "items", List.of());
        }
        byte[] bytes = json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Optional<Map<String, Object>> find(String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.get("kind")))
                .filter(o -> name.equals(DeploymentTest.name(o))).findFirst();
    }

    private static String kindOf(String plural) {
        return switch (plural) {
            case "configmaps" -> "ConfigMap";
            case "secrets" -> "Secret";
            case "services" -> "Service";
            case "endpoints" -> "Endpoints";
            case "pods" -> "Pod";
            default -> plural;
        };
    }

    private static Map<String, Object> status(String reason, String message) {
        return Map.of("apiVersion", "v1", "kind", "Status", "status", "Failure", "reason", reason, "message", message);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
