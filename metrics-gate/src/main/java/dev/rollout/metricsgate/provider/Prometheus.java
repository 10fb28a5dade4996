package dev.rollout.metricsgate.provider;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client of Prometheus' HTTP API ({@code /api/v1/query}) that turns every answer into a value or a
 * reason: a scalar, a one-element vector (or the sum of a vector's elements), an empty vector, NaN, a
 * query error ({@code bad_data}) or a server that does not answer.
 */
public final class Prometheus {

    /** The outcome of one query: a value, or why there is none. */
    public record Result(Double value, int series, String problem) {

        public boolean ok() {
            return problem == null;
        }

        static Result of(double value, int series) {
            return Double.isNaN(value) ? new Result(null, series, "the query returned NaN")
                    : new Result(value, series, null);
        }

        static Result problem(String problem) {
            return new Result(null, 0, problem);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final JsonMapper json;

    public Prometheus(JsonMapper json) {
        this.json = json;
    }

    public Result query(String baseUrl, String promql, String authHeader, Duration timeout) {
        String url = baseUrl.replaceAll("/+$", "") + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET();
        if (authHeader != null && !authHeader.isBlank()) {
            request.header("Authorization", authHeader);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (java.io.IOException e) {
            return Result.problem("Prometheus at " + baseUrl + " did not answer: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.problem("interrupted");
        }
        return parse(response.statusCode(), response.body());
    }

    /** Reads an answer of {@code /api/v1/query}. */
    public Result parse(int status, String body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        }
        catch (JacksonException e) {
            return Result.problem("Prometheus answered HTTP " + status + " with a body that is not JSON");
        }
        if (!"success".equals(root.path("status").asString())) {
            return Result.problem("Prometheus refused the query (HTTP " + status + ", " + root.path("errorType").asString("?")
                    + "): " + root.path("error").asString(""));
        }
        JsonNode data = root.path("data");
        String type = data.path("resultType").asString("");
        JsonNode result = data.path("result");
        switch (type) {
            case "scalar" -> {
                return Result.of(number(result.path(1)), 1);
            }
            case "vector" -> {
                if (result.isEmpty()) {
                    return Result.problem("the query returned no series (an empty vector)");
                }
                double sum = 0;
                for (JsonNode sample : result) {
                    double v = number(sample.path("value").path(1));
                    if (Double.isNaN(v)) {
                        return new Result(null, result.size(), "a series of the query is NaN");
                    }
                    sum += v;
                }
                return Result.of(sum, result.size());
            }
            default -> {
                return Result.problem("the query returned a " + (type.isEmpty() ? "result of no type" : type)
                        + "; the gate takes an instant vector or a scalar");
            }
        }
    }

    private static double number(JsonNode node) {
        try {
            return Double.parseDouble(node.asString());
        }
        catch (NumberFormatException | NullPointerException e) {
            return Double.NaN;
        }
    }
}
