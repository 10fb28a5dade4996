package dev.rollout.starter.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * A refusal that the caller can act on, answered as an RFC 9457 problem with its status and detail.
 * Services throw it (or a subclass) from their domain; it never becomes a 500.
 */
public class ProblemException extends RuntimeException {

    private final HttpStatus status;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ProblemException(HttpStatus status, String detail) {
        super(detail);
        this.status = status;
    }

    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(HttpStatus.NOT_FOUND, what + " " + id + " does not exist");
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(HttpStatus.BAD_REQUEST, detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(HttpStatus.CONFLICT, detail);
    }

    public static ProblemException unprocessable(String detail) {
        return new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, detail);
    }

    /** Adds a member to the problem body (for instance the rejected lines of an upload). */
    public ProblemException with(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    /** Adds a header to the answer (for instance Retry-After on a 409 or 503 that a retry may clear). */
    public ProblemException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public HttpStatus status() {
        return status;
    }

    public Map<String, Object> properties() {
        return properties;
    }
}
