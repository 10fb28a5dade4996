package dev.rollout.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform's REST API as the command calls it: through the edge, with a bearer token, JSON in and out. An
 * answer of 400 or more becomes an {@link ApiException} carrying the problem's title and detail (RFC 9457).
 */
final class Api {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** A call the platform refused or could not answer, with what it said. */
    static final class ApiException extends RuntimeException {

        private final int status;

        ApiException(int status, String message) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /** One file of a multipart upload: the part's name, the file's name, its bytes. */
    record Part(String name, String fileName, String contentType, byte[] content) {
    }

    private final URI base;
    private final String token;
    private final HttpClient http;

    Api(String url, String token) {
        this.base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    String url() {
        return base.toString();
    }

    JsonNode get(String path) {
        return send(request(path).GET());
    }

    JsonNode post(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "{}" : JSON.writeValueAsString(body))));
    }

    /** A POST that must happen once: a retried call with the same key is answered, not applied again. */
    JsonNode postOnce(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    JsonNode upload(String path, List<Part> parts) {
        String boundary = "rollout-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Part part : parts) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part.name()
                    + "\"; filename=\"" + part.fileName().replace("\"", "") + "\"\r\nContent-Type: "
                    + part.contentType() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(part.content());
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(request(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json, application/problem+json");
        if (token != null && !token.isBlank()) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private JsonNode send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (ConnectException e) {
            throw new ApiException(0, "no platform answers at " + base + " (set ROLLOUT_URL or --url)");
        }
        catch (IOException e) {
            throw new ApiException(0, request.method() + " " + request.uri() + " failed: " + e.getMessage());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted");
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() >= 400) {
            throw new ApiException(response.statusCode(), problem(response.statusCode(), body, response.body()));
        }
        return body;
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(text);
        }
        catch (JacksonException notJson) {
            return JSON.getNodeFactory().stringNode(text);
        }
    }

    /** "409 Conflict: the rollout is PAUSED ..." from a problem document, with its field errors where it has some. */
    static String problem(int status, JsonNode body, String raw) {
        if (!body.isObject()) {
            return status + (raw == null || raw.isBlank() ? "" : ": " + raw.strip());
        }
        StringBuilder message = new StringBuilder().append(status);
        String title = body.path("title").asString("");
        String detail = body.path("detail").asString("");
        if (!title.isEmpty()) {
            message.append(' ').append(title);
        }
        if (!detail.isEmpty()) {
            message.append(": ").append(detail);
        }
        for (JsonNode error : body.path("errors")) {
            message.append("\n  ").append(error.isObject()
                    ? error.path("field").asString(error.path("pointer").asString("")) + ": "
                            + error.path("message").asString(error.path("detail").asString(""))
                    : error.asString());
        }
        if (status == 401) {
            message.append("\n  (set ROLLOUT_TOKEN, or --token, to a token the platform accepts)");
        }
        return message.toString();
    }
}
