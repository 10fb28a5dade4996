package dev.rollout.metricsgate.provider;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.rollout.starter.outbound.OutboundHttp;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client of Prometheus' HTTP API ({@code /api/v1/query}) that turns every answer into a value or a
 * reason: a scalar, a one-element vector, an empty vector, NaN, a query error ({@code bad_data}) or a server
 * that does not answer. A vector of several series is summed only for a count ({@link Aggregation#SUM}); a
 * quantile, a ratio or an availability of several series has no meaningful sum, so it is a reason, not a value.
 * Calls go out through the platform's outbound address policy: a source that resolves to an internal address
 * is refused before any connection, and the reason does not echo what an internal host answered.
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

    /** How the series of a vector answer make one figure. */
    public enum Aggregation {
        /** Counts and rates: the sum of the series. */
        SUM,
        /** Quantiles, ratios, availability: exactly one series, or no value. */
        SINGLE
    }

    private final OutboundHttp http;
    private final JsonMapper json;

    public Prometheus(OutboundHttp http, JsonMapper json) {
        this.http = http;
        this.json = json;
    }

    public Result query(String baseUrl, String promql, String authHeader, Duration timeout, Aggregation aggregation) {
        String url = baseUrl.replaceAll("/+$", "") + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        OutboundHttp.Answer answer;
        try {
            answer = http.get(url, authHeader == null || authHeader.isBlank() ? Map.of() : Map.of("Authorization", authHeader),
                    timeout);
        }
        catch (OutboundHttp.RefusedAddressException e) {
            return Result.problem("Prometheus at " + baseUrl + " was not called: " + e.getMessage());
        }
        catch (IOException | RuntimeException e) {
            return Result.problem("Prometheus at " + baseUrl + " did not answer (" + e.getClass().getSimpleName() + ")");
        }
        return parse(answer.status(), answer.body(), aggregation);
    }

    /** Reads an answer of {@code /api/v1/query}. */
    public Result parse(int status, String body, Aggregation aggregation) {
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
                if (result.size() > 1 && aggregation == Aggregation.SINGLE) {
                    return new Result(null, result.size(), "the query returned " + result.size() + " series ("
                            + labels(result) + "); a quantile, ratio or availability needs one: aggregate in the query,"
                            + " e.g. histogram_quantile(0.99, sum by (le) (rate(..._bucket[5m]))) or a selector such as"
                            + " {deployment=\"canary\"}");
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

    private static String labels(JsonNode result) {
        List<String> series = new ArrayList<>();
        for (JsonNode sample : result) {
            if (series.size() == 3) {
                series.add("...");
                break;
            }
            List<String> pairs = new ArrayList<>();
            sample.path("metric").properties().forEach(e -> {
                if (!e.getKey().equals("__name__")) {
                    pairs.add(e.getKey() + "=\"" + e.getValue().asString() + "\"");
                }
            });
            series.add("{" + String.join(",", pairs) + "}");
        }
        return String.join(", ", series);
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
