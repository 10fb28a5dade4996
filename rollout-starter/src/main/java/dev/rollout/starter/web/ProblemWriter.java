package dev.rollout.starter.web;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an RFC 9457 problem response where no controller advice reaches: in servlet filters
 * (authentication, access denied, request size).
 */
public final class ProblemWriter {

    private final JsonMapper json;
    private final TraceIds traceIds;

    public ProblemWriter(JsonMapper json) {
        this(json, TraceIds.NONE);
    }

    public ProblemWriter(JsonMapper json, TraceIds traceIds) {
        this.json = json;
        this.traceIds = traceIds;
    }

    /** Adds the request's trace id to the problem ({@code traceId}), where there is one and it has none yet. */
    static void traceId(ProblemDetail problem, TraceIds traceIds) {
        if (problem.getProperties() == null || !problem.getProperties().containsKey("traceId")) {
            String traceId = traceIds.get();
            if (traceId != null) {
                problem.setProperty("traceId", traceId);
            }
        }
    }

    public void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail)
            throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setInstance(URI.create(request.getRequestURI()));
        write(response, problem);
    }

    public void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        traceId(problem, traceIds);
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(asMap(problem)));
        response.flushBuffer();
    }

    /** The problem as its JSON members, extension properties at the top level as RFC 9457 wants them. */
    public static Map<String, Object> asMap(ProblemDetail problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType() == null ? "about:blank" : problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        if (problem.getDetail() != null) {
            body.put("detail", problem.getDetail());
        }
        if (problem.getInstance() != null) {
            body.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        return body;
    }
}
