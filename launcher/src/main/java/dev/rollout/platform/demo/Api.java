package dev.rollout.platform.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The public REST API as its users call it: a bearer token, JSON or CSV, and a clear failure on a 4xx or 5xx. */
final class Api {

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    Api(String base) {
        this.base = base;
    }

    JsonNode get(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), token, 200);
    }

    JsonNode post(String path, String token, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), token, 0);
    }

    JsonNode put(String path, String token, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)), token, 0);
    }

    JsonNode upload(String path, String token, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .timeout(Duration.ofMinutes(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body)), token, 0);
    }

    JsonNode upload(String path, String token, String contentType, HttpRequest.BodyPublisher body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .timeout(Duration.ofMinutes(30)).POST(body), token, 0);
    }

    /** A streamed upload under a path the client chose (PUT). */
    JsonNode put(String path, String token, String contentType, HttpRequest.BodyPublisher body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .timeout(Duration.ofMinutes(30)).PUT(body), token, 0);
    }

    String text(String path, String token) {
        return csv(path, token).body();
    }

    /** A GET that asks for CSV ({@code Accept: text/csv}); fails on a 4xx or 5xx. */
    HttpResponse<String> csv(String path, String token) {
        return get(path, token, "text/csv, text/markdown, */*", HttpResponse.BodyHandlers.ofString(), body -> body);
    }

    /** A GET that asks for CSV, its body as the bytes sent; fails on a 4xx or 5xx. */
    HttpResponse<byte[]> csvBytes(String path, String token) {
        return get(path, token, "text/csv", HttpResponse.BodyHandlers.ofByteArray(),
                body -> new String(body, StandardCharsets.UTF_8));
    }

    private <T> HttpResponse<T> get(String path, String token, String accept, HttpResponse.BodyHandler<T> handler,
            Function<T, String> text) {
        try {
            HttpResponse<T> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + token).header("Accept", accept).GET().build(), handler);
            if (response.statusCode() >= 400) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
                        + text.apply(response.body()));
            }
            return response;
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode parse(String text) {
        return json.readTree(text);
    }

    /** Attempts of a call answered 429 or 503 before it fails. */
    static final int ATTEMPTS = 8;

    /**
     * Sends as an agent is documented to (docs/agents.md): a 429 or 503 is retried after its {@code Retry-After}, or
     * after an exponential backoff from 1 s, each delay with full jitter; any other 4xx or 5xx fails at once.
     */
    private JsonNode send(HttpRequest.Builder request, String token, int expected) {
        HttpRequest built = request.header("Authorization", "Bearer " + token).header("Accept", "application/json").build();
        try {
            for (int attempt = 1;; attempt++) {
                HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if ((status == 429 || status == 503) && attempt < ATTEMPTS) {
                    Thread.sleep(backoff(attempt, response.headers().firstValue("Retry-After").orElse(null)));
                    continue;
                }
                if (status >= 400 || (expected != 0 && status != expected)) {
                    throw new IllegalStateException(response.request().method() + " " + response.request().uri().getPath()
                            + " answered " + status + ": " + response.body());
                }
                String body = response.body();
                return json.readTree(body == null || body.isBlank() ? "{}" : body);
            }
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Milliseconds to wait before attempt {@code attempt + 1}: full jitter over Retry-After or 2^(attempt-1) s. */
    static long backoff(int attempt, String retryAfter) {
        long ceiling = 1000L << Math.min(attempt - 1, 5);
        if (retryAfter != null && retryAfter.matches("\\d{1,4}")) {
            ceiling = Long.parseLong(retryAfter) * 1000;
        }
        return ThreadLocalRandom.current().nextLong(Math.max(1, ceiling) + 1);
    }
}
